"""Pseudonymisation (假名化): share customer data without revealing who the customers are.

:func:`pseudonymize` replaces the customer id by a keyed hash (HMAC-SHA256) and
drops likely direct identifiers. It is safe by default and never changes an
identity silently:

* **Canonical ids.** Each id is read by the loader's id rule
  (:mod:`crmlab.validation`: :func:`~crmlab.validation.customer_id_problem` and
  :func:`~crmlab.validation.id_text`), applied to that value alone (never
  depending on the other ids in the column), then hashed, so an id the loader
  refuses is refused here and two spellings it reads as one customer get one
  pseudonym:

  - whole numbers are written without a decimal part, so ``2``, ``2.0``,
    ``numpy.int64(2)`` and the text ``"2"`` are one customer;
  - text is kept as written apart from surrounding spaces (also invisible ones),
    which are stripped, and a zero fraction, which is dropped: ``" 2 "`` and
    ``"2.0"`` are ``"2"``, while ``"02"`` and ``"2"``, or ``"a1"`` and ``"A1"``,
    stay distinct customers;
  - refused (:class:`~crmlab.errors.DataError` naming column, row and value):
    missing ids (also the text ``""``, ``"nan"``, ``"NULL"``), booleans,
    fractional or non-finite numbers, floats of magnitude 2**53 or more (beyond
    it a float no longer holds every integer, so distinct ids may already have
    been merged when the file was read: read the column as text), text with a
    control character, and values that are neither text nor numbers
    (``Decimal``, bytes, lists).

  How many distinct ids each part of the rule changed, and how many distinct
  raw ids it merged into one, is counted in ``out.attrs["pseudonymize"]``; a
  :class:`~crmlab.errors.CrmlabWarning` is issued when any were merged.
* **Length.** The pseudonym is the first ``length`` hex characters of the
  digest. The default, 32 (128 bits), is the same for every table so
  pseudonymised tables still join; a ``length`` below
  :func:`min_pseudonym_length` (the birthday bound) is refused, and two
  distinct ids sharing a pseudonym raise :class:`~crmlab.errors.DataError`.
* **Keys.** Refused when weak (:func:`check_key`); never stored in the result.
* **No raw ids in the output.** The index is replaced by ``0..n-1`` (make an
  index that matters a column first), ``attrs`` of the input are not carried
  over; columns named by a customer id, copies of the id column and person-id
  columns (``referrer_customer``, ``会员编号``) holding customer ids are dropped
  (columns named by an id are counted, never named).
* **Direct identifiers dropped unless kept.** Columns whose name suggests a
  name, phone, e-mail, address, postcode, IP address, birth date or an
  identity-document number (English or Chinese names, case-insensitive) and
  text columns holding e-mail addresses, phone numbers or IPv4 addresses are
  dropped, listed in ``attrs`` and named in a warning; ``keep=[...]`` keeps them.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"customer_id": [1, 2, 1], "amount": [5.0, 7.5, 2.0]})
>>> out = pseudonymize(df, "a-long-secret-key!")
>>> out["customer_id"].nunique(), len(out["customer_id"].iloc[0])
(2, 32)
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from crmlab.errors import DataError, ParameterError, warn
from crmlab.validation import (
    ID_STRIP_CHARS,
    _distinct_ids,
    check_number,
    customer_id_problem,
    excerpt,
    id_text,
    missing_columns_message,
)

__all__ = [
    "pseudonymize",
    "min_pseudonym_length",
    "check_key",
    "canonical_id",
    "identifier_columns",
    "DEFAULT_LENGTH",
    "COLLISION_BOUND",
]

#: Hex characters kept by default (128 bits): one length for every table, so tables join.
DEFAULT_LENGTH: int = 32
#: Largest accepted birthday-bound probability that two distinct ids share a pseudonym.
COLLISION_BOUND: float = 1e-9
_MIN_LENGTH = 8
_MAX_LENGTH = 64  # hex characters in a SHA-256 digest
_MIN_KEY_BYTES = 16
_MIN_KEY_DISTINCT = 8


# --------------------------------------------------------------------------- length
def min_pseudonym_length(n_ids: int) -> int:
    """Shortest pseudonym (hex characters) for ``n_ids`` distinct ids.

    The smallest ``L >= 8`` with ``n(n-1)/2 * 16**-L < 1e-9`` (the birthday
    bound on the chance that any two of ``n`` ids share a pseudonym).

    Examples
    --------
    >>> min_pseudonym_length(100), min_pseudonym_length(300_000), min_pseudonym_length(10**9)
    (11, 17, 23)
    """
    n = check_number(n_ids, "n_ids", low=0, integer=True)
    pairs = n * (n - 1) // 2
    # exact integer arithmetic: pairs / 16**L < 1e-9  <=>  pairs * 10**9 < 16**L
    for length in range(_MIN_LENGTH, _MAX_LENGTH + 1):
        if pairs * 10**9 < 16**length:
            return length
    raise ParameterError(f"n_ids={n} is too many ids for a 64-character pseudonym")


# --------------------------------------------------------------------------- keys
def check_key(key: Any) -> bytes:
    """Validate a pseudonymisation key and return it as bytes.

    A key is refused (:class:`~crmlab.errors.ParameterError`, which never
    quotes the key) when it is shorter than 16 bytes in UTF-8, has fewer than 8
    distinct characters, is one block repeated (``"abcdefghabcdefgh"``, also when
    the last block is cut short) or is a run of consecutive characters
    (``"abcdefghijklmnop"``, ``"ponmlkjihgfedcba"``, ``"7890123456789012"``).

    Examples
    --------
    >>> check_key("a-long-secret-key!")
    b'a-long-secret-key!'
    >>> check_key("x" * 16)
    Traceback (most recent call last):
    ...
    crmlab.errors.ParameterError: key has 1 distinct character(s); a key needs at least 8 distinct characters (use e.g. secrets.token_hex(16))
    """
    hint = "(use e.g. secrets.token_hex(16))"
    if isinstance(key, str):
        units: Sequence[Any] = key
        raw = key.encode("utf-8")
    elif isinstance(key, (bytes, bytearray)):
        raw = bytes(key)
        units = raw
    else:
        raise ParameterError(f"key must be text or bytes, got {type(key).__name__} {hint}")
    if len(raw) < _MIN_KEY_BYTES:
        raise ParameterError(
            f"key has {len(raw)} byte(s); a key needs at least {_MIN_KEY_BYTES} bytes {hint}"
        )
    distinct = len(set(units))
    if distinct < _MIN_KEY_DISTINCT:
        raise ParameterError(
            f"key has {distinct} distinct character(s); a key needs at least "
            f"{_MIN_KEY_DISTINCT} distinct characters {hint}"
        )
    n = len(units)
    for period in range(1, n // 2 + 1):
        if all(units[i] == units[i - period] for i in range(period, n)):
            raise ParameterError(f"key is one block of {period} character(s) repeated; {hint}")
    codes = [ord(u) if isinstance(u, str) else int(u) for u in units]
    steps = {b - a for a, b in zip(codes, codes[1:])}
    if steps in ({1}, {-1}) or _cyclic_run(codes):
        raise ParameterError(f"key is a run of consecutive characters; {hint}")
    return raw


def _cyclic_run(codes: list[int]) -> bool:
    """Digits or letters counting up or down with wrap-around ("7890123456...")."""
    for first, size in ((ord("0"), 10), (ord("a"), 26), (ord("A"), 26)):
        if all(first <= c < first + size for c in codes):
            steps = {(b - a) % size for a, b in zip(codes, codes[1:])}
            return steps in ({1}, {size - 1})
    return False


# --------------------------------------------------------------------------- ids
def canonical_id(value: Any) -> str:
    """The text an id is hashed as: the loader's id rule, applied to one value.

    Raises :class:`~crmlab.errors.DataError` for an id
    :func:`~crmlab.validation.customer_id_problem` refuses (spaces around text
    are stripped, not refused); text is read by :func:`~crmlab.validation.id_text`,
    a whole number is written without a decimal part.

    Examples
    --------
    >>> canonical_id(2), canonical_id(2.0), canonical_id(" 2.0 "), canonical_id("02")
    ('2', '2', '2', '02')
    >>> canonical_id(2.5)
    Traceback (most recent call last):
    ...
    crmlab.errors.DataError: id 2.5 is a fractional number; customer ids must be whole numbers or text
    """
    problem = customer_id_problem(value, stripped=True)
    if problem is not None:
        raise DataError(f"id {excerpt(value)} {problem[1]}")
    return id_text(value) if isinstance(value, str) else str(int(value))


def _canonical_texts(values: Sequence[Any], column: Any = None, rows: Any = None) -> np.ndarray:
    """:func:`canonical_id` of each value: None where refused, or (``column`` given)
    a :class:`~crmlab.errors.DataError` naming ``column`` and the value's row in ``rows``."""
    out = np.empty(len(values), dtype=object)
    for k, v in enumerate(values):
        try:
            out[k] = canonical_id(v)
        except DataError as err:
            if column is not None:
                raise DataError(f"pseudonymize: column {column!r}, row {rows[k]}: {err}") from None
    return out


# --------------------------------------------------------------------------- identifiers
def _rules(*table: tuple[str, tuple[str, ...], str]) -> list[tuple[re.Pattern[str], tuple[str, ...], str]]:
    """(pattern over "_"-joined lower-case tokens, Chinese words, what it is), compiled."""
    return [(re.compile(rf"(?:^|_)(?:{p})(?:_|$)"), words, what) for p, words, what in table]


_NAME_RULES = _rules(
    (r"(first|last|given|family|full|middle|nick|sur|user|customer|client|contact|person|member|"
     r"account|maiden)_?name|^name", ("姓名", "名字", "姓氏", "联系人"), "a person's name"),
    (r"(tele)?phone(_?(no|number|num|nr))?|tel|mobile|cell(_?phone)?|fax|msisdn|wechat|weixin|"
     r"whatsapp|qq", ("电话", "手机", "微信", "传真", "联系方式"), "a phone number or messenger handle"),
    (r"e_?mail(_?address)?|mail(_?address)?", ("邮箱", "邮件", "电邮"), "an e-mail address"),
    (r"(street_?|postal_?|mailing_?|home_?|billing_?|shipping_?)?address(_?line_?\d*)?|addr|"
     r"street|zip(_?code)?|post(al)?_?code|postcode", ("地址", "住址", "邮编", "邮政编码"),
     "an address or postcode"),
    (r"ip(_?addr(ess)?)?|ipv4|ipv6", (), "an IP address"),
    (r"birth(_?date|_?day)?|birthday|birthdate|dob|date_of_birth|born", ("生日", "出生"), "a birth date"),
    (r"ssn|social_security(_?number|_?no)?|passport(_?(no|number))?|national_?id|id_?card|"
     r"id_?(no|number)|tax_?id|tin|driver'?s?_?licen[cs]e|licen[cs]e_?(no|number)|iban",
     ("身份证", "护照", "证件"), "an identity-document or account number"),
)
# a column naming a person (referrer_customer, 会员编号) is dropped when it holds customer ids
_PERSON_RULES = _rules((r"customer|cust|client|user|member|buyer|referrer|referral|account",
                        ("客户", "会员", "用户", "顾客"), "a person"))
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_IPV4 = re.compile(r"(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\d.])")
_PHONE = re.compile(r"\+?\(?\d[\d\s().-]{5,20}\d")
_DATE_LIKE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}.*|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}.*")
_GROUPED_NUMBER = re.compile(r"-?\d{1,3}([.,\s]\d{3})+([.,]\d+)?|-?\d+[.,]\d+")
_CN_MOBILE = re.compile(r"(\+?86[\s-]?)?1[3-9]\d{9}")


def _name_reason(label: Any, rules: Sequence[tuple[Any, ...]] = _NAME_RULES) -> str | None:
    """What a column name suggests (Chinese words first, then English tokens), or None."""
    text = unicodedata.normalize("NFKC", str(label))
    tokens = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)  # camelCase -> camel_Case
    tokens = re.sub(r"[^0-9a-z]+", "_", tokens.lower()).strip("_")
    hits = [what for _, words, what in rules if any(w in text for w in words)]
    hits += [what for pattern, _, what in rules if pattern.search(tokens)]
    return hits[0] if hits else None


def _is_phone(text: str) -> bool:
    text = text.strip()
    if _CN_MOBILE.fullmatch(text):
        return True
    if not _PHONE.fullmatch(text) or _DATE_LIKE.fullmatch(text) or _GROUPED_NUMBER.fullmatch(text):
        return False
    digits = sum(c.isdigit() for c in text)
    separated = text.startswith("+") or bool(re.search(r"[\s()-]", text))
    return separated and 7 <= digits <= 15


def _is_ipv4(text: str) -> bool:
    for m in _IPV4.finditer(text):
        try:
            ipaddress.IPv4Address(".".join(str(int(g)) for g in m.groups()))
        except ValueError:
            continue
        return True
    return False


def _content_reason(series: pd.Series) -> tuple[str, int] | None:
    """What a text column holds (e-mail, phone, IPv4) and the first row holding it."""
    if not (isinstance(series.dtype, pd.CategoricalDtype) or pd.api.types.is_object_dtype(series)
            or pd.api.types.is_string_dtype(series)):
        return None
    _, values, first = _distinct_ids(series)  # in order of first appearance
    texts = {k: v for k, v in enumerate(values) if isinstance(v, str)}
    for what, test in (
        ("e-mail addresses", lambda t: _EMAIL.search(t) is not None),
        ("IPv4 addresses", _is_ipv4),
        ("phone numbers", _is_phone),
    ):
        hits = [k for k, t in texts.items() if test(t)]
        if hits:
            return what, int(first[hits[0]])
    return None


def identifier_columns(df: pd.DataFrame, *, exclude: Sequence[Any] = ()) -> dict[Any, str]:
    """Columns that look like direct identifiers, with the reason.

    By name (English or Chinese, case-insensitive, ``camelCase`` and
    ``snake_case`` alike) and, for text columns, by content: any value holding
    an e-mail address or an IPv4 address, or written as a phone number.

    Examples
    --------
    >>> df = pd.DataFrame({"customer_id": [1], "Email": ["a@b.cn"], "note": ["call +1 555-0100-22"],
    ...                    "手机": ["13812345678"], "amount": [1.0]})
    >>> sorted(identifier_columns(df, exclude=["customer_id"]))
    ['Email', '手机']
    """
    if not isinstance(df, pd.DataFrame):
        raise DataError(f"identifier_columns needs a DataFrame, got {type(df).__name__}")
    exclude = _as_names(exclude, "exclude")
    found: dict[Any, str] = {}
    for col in df.columns:
        if col in exclude or pd.api.types.is_bool_dtype(df[col]):
            continue  # a yes/no column (email_opt_in) identifies nobody
        reason = _name_reason(col)
        if reason is not None:
            found[col] = f"name suggests {reason}"
            continue
        content = _content_reason(df[col])
        if content is not None:
            found[col] = f"holds {content[0]} (first at row {content[1]})"
    return found


# --------------------------------------------------------------------------- hashing
def _digest(key: bytes, texts: Sequence[str], length: int) -> list[str]:
    """HMAC-SHA256 (RFC 2104, :mod:`hmac`) of each text, first ``length`` hex characters.

    The keyed HMAC state is built once and copied per id (``hmac.HMAC.copy``),
    which is several times faster than a fresh ``hmac.new`` per id.
    """
    base = hmac.new(key, digestmod=hashlib.sha256)
    out = []
    for t in texts:
        h = base.copy()
        h.update(t.encode("utf-8"))
        out.append(h.hexdigest()[:length])
    return out


def _as_names(value: Any, name: str) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple, set, frozenset, pd.Index, np.ndarray)):
        return list(value)
    raise ParameterError(f"{name}= must be a list of column names, got {type(value).__name__}")


def _canonicalise(ids: pd.Series, column: Any) -> tuple[np.ndarray, dict[str, int]]:
    """Canonical text per row, with counts of what the rule changed and merged.

    A raw id is a distinct value as :func:`~crmlab.validation._distinct_ids` tells
    them apart (``2`` and ``2.0`` are two, merged into ``"2"``); the rule runs once
    per raw id.
    """
    codes, values, first = _distinct_ids(ids)
    canon = _canonical_texts(values, column, first)
    raw = pd.Series(values, dtype=object).map(str)
    core = raw.str.strip(ID_STRIP_CHARS)
    distinct = len(pd.unique(canon))
    return canon[codes], {
        "distinct_raw_ids": len(values),
        "distinct_ids": distinct,
        "merged_by_canonicalisation": len(values) - distinct,
        "whitespace_stripped": int((core != raw).sum()),
        "numbers_written_as_integers": int((core != canon).sum()),
    }


def _id_leaks(df: pd.DataFrame, column: Any, canon: np.ndarray, id_set: set[str],
              skip: set[Any]) -> tuple[dict[Any, str], int]:
    """Other columns that would carry raw ids: copies of the id column, person-id columns
    holding customer ids, and columns named by a customer id (only counted, never named)."""
    found: dict[Any, str] = {}
    named_by_id = 0
    for col in df.columns:
        if col == column or col in skip:
            continue
        if _canonical_texts([col])[0] in id_set:
            named_by_id += 1
            found[col] = "named by a customer id"
            continue
        series = df[col]
        if len(series) and _canonical_texts(series.iloc[:1].tolist())[0] == canon[0]:
            codes, values, _ = _distinct_ids(series)
            if np.array_equal(_canonical_texts(values)[codes], canon):
                found[col] = f"a copy of the id column {column!r}"
                continue
        if _name_reason(col, _PERSON_RULES):
            if any(t in id_set for t in _canonical_texts(_distinct_ids(series)[1])):
                found[col] = "holds customer ids"
    return found, named_by_id


# --------------------------------------------------------------------------- main
def pseudonymize(
    df: pd.DataFrame,
    key: str | bytes,
    *,
    column: str = "customer_id",
    drop: Sequence[str] = (),
    keep: Sequence[str] = (),
    length: int | None = None,
) -> pd.DataFrame:
    """Replace customer ids with a keyed hash (HMAC-SHA256) and drop direct identifiers.

    The same key maps the same id to the same pseudonym, so tables pseudonymised
    with one key (and one ``length``) still join; without the key the mapping
    cannot be recomputed. Keep the key out of notebooks you share (read it from
    an environment variable or a file outside the repository). The rules
    (canonical ids, minimum length, keys, dropped columns) are in the module
    docstring of :mod:`crmlab.privacy`.

    Parameters
    ----------
    df : DataFrame
        Data holding ``column``; not modified.
    key : str or bytes
        Secret key: at least 16 bytes and 8 distinct characters, not a repeated
        block or a run of consecutive characters (see :func:`check_key`).
    column : str
        The identifier column to pseudonymise.
    drop : sequence of str
        Further columns to remove.
    keep : sequence of str
        Columns that look like direct identifiers but are kept on purpose.
    length : int, optional
        Hex characters of the digest kept, at most 64. Default 32; a length below
        :func:`min_pseudonym_length` of the data's distinct ids is refused.

    Returns
    -------
    DataFrame
        The data with pseudonyms in ``column``, a fresh ``0..n-1`` index, the
        dropped columns removed, and ``attrs["pseudonymize"]`` reporting the
        length, id counts, what canonicalisation changed and merged, and each
        dropped column with its reason (the input's other ``attrs`` are not
        carried over: they may hold raw ids).

    Raises
    ------
    ParameterError
        Weak key, too short ``length``, the id column in ``drop``/``keep``, a
        column in both ``drop`` and ``keep``, a kept column named by an id.
    DataError
        Missing columns, duplicate column labels, refused ids (named by row),
        two distinct ids with one pseudonym.

    Examples
    --------
    >>> df = pd.DataFrame({"customer_id": [1, 2.0, " 1"], "email": ["a@x.cn", "b@x.cn", "a@x.cn"]})
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     out = pseudonymize(df, "a-long-secret-key!")
    >>> list(out.columns), out["customer_id"].nunique()
    (['customer_id'], 2)
    >>> out.attrs["pseudonymize"]["merged_by_canonicalisation"], out.attrs["pseudonymize"]["dropped"]
    (1, {'email': 'name suggests an e-mail address'})
    """
    if not isinstance(df, pd.DataFrame):
        raise DataError(f"pseudonymize needs a DataFrame, got {type(df).__name__}")
    raw_key = check_key(key)
    drop_list = _as_names(drop, "drop")
    keep_list = _as_names(keep, "keep")
    dup = df.columns[df.columns.duplicated()].unique().tolist()
    if dup:
        raise DataError(
            f"pseudonymize: column label(s) {[excerpt(d, 30) for d in dup]} occur more than "
            "once; rename them so each column has one name"
        )
    for name, names in (("drop", drop_list), ("keep", keep_list)):
        if column in names:
            raise ParameterError(
                f"pseudonymize: {column!r} is the id column being pseudonymised; do not list it "
                f"in {name}="
            )
    both = [c for c in drop_list if c in keep_list]
    if both:
        raise ParameterError(f"pseudonymize: column(s) {both} are in both drop= and keep=; choose one")
    missing = [c for c in [column, *drop_list, *keep_list] if c not in df.columns]
    if missing:
        columns = [str(c) for c in df.columns]
        raise DataError(missing_columns_message("pseudonymize: the data", missing, columns))

    canon, counts = _canonicalise(df[column], column)
    n_ids = counts["distinct_ids"]
    min_len = min_pseudonym_length(n_ids)
    if length is None:
        length = max(DEFAULT_LENGTH, min_len)
    length = check_number(length, "length", low=1, high=_MAX_LENGTH, integer=True)
    if length < min_len:
        raise ParameterError(
            f"length={length} is too short for {n_ids:,} distinct ids: at least {min_len} hex "
            f"characters keep the chance that two ids share a pseudonym below {COLLISION_BOUND:g} "
            f"(birthday bound n(n-1)/2 * 16**-length); the default is {DEFAULT_LENGTH}"
        )

    codes, texts = pd.factorize(canon)  # the distinct ids, in order of first appearance
    hashed = np.asarray(_digest(raw_key, texts.tolist(), length), dtype=object)
    last = dict(zip(hashed, range(len(hashed))))  # each pseudonym's last distinct id
    if len(last) < len(hashed):
        i = next(k for k, h in enumerate(hashed) if last[h] != k)
        rows = [int(np.argmax(codes == k)) for k in (i, last[hashed[i]])]
        raise DataError(
            f"pseudonymize: column {column!r}, rows {rows[0]} and {rows[1]}: two distinct ids "
            f"share one pseudonym at length={length}; use a longer length"
        )

    dropped: dict[Any, str] = {c: "listed in drop=" for c in drop_list}
    leaks, named_by_id = _id_leaks(df, column, canon, set(texts.tolist()), set(drop_list))
    for col, reason in leaks.items():
        if col in keep_list:
            raise ParameterError(
                f"pseudonymize: a column in keep= is {reason} and would carry raw ids; "
                "rename or remove it first"
            )
        dropped[col] = reason
    for col, reason in identifier_columns(df, exclude=[column, *dropped, *keep_list]).items():
        dropped[col] = reason
    out = df.loc[:, [c for c in df.columns if c not in dropped]].copy(deep=True)
    out.attrs = {}
    out.index = pd.RangeIndex(len(out))
    out.columns.name = None
    out[column] = hashed[codes]

    default_index = isinstance(df.index, pd.RangeIndex) and df.index.start == 0 and df.index.step == 1
    auto = {c: r for c, r in dropped.items() if r not in ("listed in drop=", "named by a customer id")}
    report = {
        "column": column,
        "length": int(length),
        "min_length": min_len,
        "rows": len(df),
        **counts,
        "dropped": {str(c): r for c, r in dropped.items() if r != "named by a customer id"},
        "dropped_named_by_id": named_by_id,
        "kept": [str(c) for c in keep_list],
        "index": "default 0..n-1" if default_index else "replaced by 0..n-1",
        "input_attrs_not_carried": sorted(str(k) for k in df.attrs),
    }
    out.attrs["pseudonymize"] = report
    if counts["merged_by_canonicalisation"]:
        warn(f"pseudonymize: {counts['distinct_raw_ids']:,} distinct raw ids became {n_ids:,} ids: "
            f"{counts['merged_by_canonicalisation']:,} merged by canonicalisation (whitespace "
            f"stripped from {counts['whitespace_stripped']:,}, {counts['numbers_written_as_integers']:,} "
            "numbers written as integers); see attrs['pseudonymize']")
    if auto or named_by_id:
        parts = [f"{excerpt(c, 30)} ({r})" for c, r in auto.items()]
        if named_by_id:
            parts.append(f"{named_by_id} column(s) named by a customer id")
        warn(f"pseudonymize: dropped likely identifier column(s) {', '.join(parts)}; "
            "pass keep=[...] to keep a column on purpose")
    if not default_index:
        warn("pseudonymize: the index was replaced by 0..n-1 (it may hold raw ids); "
            "make it a column first (df.reset_index()) if you need it")
    return out
