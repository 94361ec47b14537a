//! JSON at the boundary between JavaScript and the engine.
//!
//! Every value crossing from JS arrives as `JSON.stringify` text and leaves as text for
//! `JSON.parse`. This is the Rust end: a strict RFC 8259 parser and a compact writer.
//! It is hand-written rather than built on serde_json to keep the WebAssembly package small,
//! and because the input is hostile: sizes and nesting are limited up front, the parser is
//! iterative (no stack growth on deep input), keys that pollute JS prototypes are refused,
//! and nothing in here can panic.

/// A parsed JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// An integer of at most 18 digits (every integer JavaScript writes exactly is one).
    Int(i64),
    /// Any other number, kept as its text: it is only ever validated and written back, never computed
    /// with, so the engine needs no float parsing or printing (a large share of a `.wasm`).
    Decimal(Box<str>),
    String(String),
    Array(Vec<Json>),
    /// Keys in input order; duplicate keys are refused by the parser.
    Object(Vec<(String, Json)>),
}

/// Bounds applied before and during parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Arrays and objects count one level each; a scalar at the top is depth 0.
    pub max_depth: usize,
    /// Length of the text in bytes (UTF-8).
    pub max_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_depth: 32, max_bytes: 1_048_576 }
    }
}

/// Why a text was refused. Offsets are byte offsets into the text.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum JsonError {
    #[error("the JSON text is {bytes} bytes long, more than the limit of {max} bytes")]
    TooLarge { bytes: usize, max: usize },
    #[error("the JSON nests arrays and objects more than {max} levels deep")]
    TooDeep { max: usize },
    #[error("invalid JSON at byte {offset}: expected {expected}")]
    Syntax { offset: usize, expected: &'static str },
    #[error("the object key \"{key}\" is not allowed")]
    ForbiddenKey { key: String },
    #[error("the object key {} appears more than once in the same object", quote(key))]
    DuplicateKey { key: String },
    #[error("the number at byte {offset} is too large to represent")]
    NumberOutOfRange { offset: usize },
}

/// Keys that would reach `Object.prototype` or constructors if copied naively in JavaScript.
pub const FORBIDDEN_KEYS: [&str; 3] = ["__proto__", "constructor", "prototype"];

/// Objects up to this many keys are checked for duplicates by linear scan; larger ones by sorting.
const SMALL_OBJECT: usize = 16;

/// An array or object still open while parsing.
enum Frame {
    Array(Vec<Json>),
    /// Fields so far, and the key whose value is being parsed.
    Object(Vec<(String, Json)>, String),
}

/// Parses one JSON value (plus surrounding whitespace) from `text`.
pub fn parse(text: &str, limits: Limits) -> Result<Json, JsonError> {
    if text.len() > limits.max_bytes {
        return Err(JsonError::TooLarge { bytes: text.len(), max: limits.max_bytes });
    }
    let mut p = Parser { text, bytes: text.as_bytes(), pos: 0 };
    let mut stack: Vec<Frame> = Vec::new();
    'value: loop {
        p.skip_ws();
        let mut value = match p.peek() {
            Some(open @ (b'[' | b'{')) => {
                if stack.len() >= limits.max_depth {
                    return Err(JsonError::TooDeep { max: limits.max_depth });
                }
                p.pos += 1;
                p.skip_ws();
                match (open, p.peek()) {
                    (b'[', Some(b']')) => {
                        p.pos += 1;
                        Json::Array(Vec::new())
                    }
                    (b'[', _) => {
                        stack.push(Frame::Array(Vec::new()));
                        continue 'value;
                    }
                    (_, Some(b'}')) => {
                        p.pos += 1;
                        Json::Object(Vec::new())
                    }
                    _ => {
                        let key = p.key()?;
                        stack.push(Frame::Object(Vec::new(), key));
                        continue 'value;
                    }
                }
            }
            Some(b'"') => Json::String(p.string()?),
            Some(b't') => p.literal(b"true", Json::Bool(true))?,
            Some(b'f') => p.literal(b"false", Json::Bool(false))?,
            Some(b'n') => p.literal(b"null", Json::Null)?,
            Some(b'-' | b'0'..=b'9') => p.number()?,
            _ => return Err(p.err("a value")),
        };
        // Attach the finished value to its parent; close parents that end here.
        loop {
            p.skip_ws();
            match stack.last_mut() {
                None => {
                    if p.pos < p.bytes.len() {
                        return Err(p.err("end of input"));
                    }
                    return Ok(value);
                }
                Some(Frame::Array(items)) => {
                    items.push(value);
                    match p.peek() {
                        Some(b',') => {
                            p.pos += 1;
                            continue 'value;
                        }
                        Some(b']') => p.pos += 1,
                        _ => return Err(p.err("',' or ']'")),
                    }
                }
                Some(Frame::Object(fields, key)) => {
                    fields.push((std::mem::take(key), value));
                    match p.peek() {
                        Some(b',') => {
                            p.pos += 1;
                            let next = p.key()?;
                            if fields.len() < SMALL_OBJECT && fields.iter().any(|(k, _)| *k == next) {
                                return Err(JsonError::DuplicateKey { key: next });
                            }
                            *key = next;
                            continue 'value;
                        }
                        Some(b'}') => {
                            p.pos += 1;
                            if fields.len() > SMALL_OBJECT {
                                check_duplicates(fields)?;
                            }
                        }
                        _ => return Err(p.err("',' or '}'")),
                    }
                }
            }
            value = match stack.pop() {
                Some(Frame::Array(items)) => Json::Array(items),
                Some(Frame::Object(fields, _)) => Json::Object(fields),
                None => return Err(p.err("a value")),
            };
        }
    }
}

/// Duplicate check for large objects: sort the keys, compare neighbours (O(n log n)).
fn check_duplicates(fields: &[(String, Json)]) -> Result<(), JsonError> {
    let mut keys: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
    super::sort::sort_by(&mut keys, |a, b| a < b);
    for pair in keys.windows(2) {
        if let [a, b] = pair {
            if a == b {
                return Err(JsonError::DuplicateKey { key: (*a).to_string() });
            }
        }
    }
    Ok(())
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn err(&self, expected: &'static str) -> JsonError {
        JsonError::Syntax { offset: self.pos, expected }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// A slice between two positions that are known to sit next to ASCII bytes.
    fn slice(&self, start: usize, end: usize) -> Result<&str, JsonError> {
        self.text.get(start..end).ok_or(JsonError::Syntax { offset: start, expected: "valid text" })
    }

    fn literal(&mut self, word: &'static [u8], value: Json) -> Result<Json, JsonError> {
        let matches = self.bytes.get(self.pos..).is_some_and(|rest| rest.starts_with(word));
        if !matches {
            return Err(self.err("a value"));
        }
        self.pos += word.len();
        Ok(value)
    }

    /// Consumes a run of ASCII digits; true if there was at least one.
    fn digits(&mut self) -> bool {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos > start
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.err("a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !self.digits() {
                return Err(self.err("a digit after the decimal point"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !self.digits() {
                return Err(self.err("a digit in the exponent"));
            }
        }
        let text = self.slice(start, self.pos)?;
        let negative = text.starts_with('-');
        let unsigned = text.trim_start_matches('-');
        // `1.000` is the integer 1; an exponent always makes a decimal.
        let integral = unsigned.split_once('.').map_or(unsigned, |(whole, fraction)| {
            if fraction.bytes().all(|b| b == b'0') {
                whole
            } else {
                unsigned
            }
        });
        if integral.len() <= 18 && integral.bytes().all(|b| b.is_ascii_digit()) {
            let value = integral.bytes().fold(0i64, |acc, b| acc * 10 + i64::from(b - b'0'));
            return Ok(Json::Int(if negative { -value } else { value }));
        }
        if decimal_exponent(unsigned) > 309 {
            return Err(JsonError::NumberOutOfRange { offset: start });
        }
        Ok(Json::Decimal(text.into()))
    }

    /// An object key and its ':' (whitespace allowed around both).
    fn key(&mut self) -> Result<String, JsonError> {
        self.skip_ws();
        if self.peek() != Some(b'"') {
            return Err(self.err("a string key"));
        }
        let key = self.string()?;
        if FORBIDDEN_KEYS.contains(&key.as_str()) {
            return Err(JsonError::ForbiddenKey { key });
        }
        self.skip_ws();
        if self.peek() != Some(b':') {
            return Err(self.err("':' after the key"));
        }
        self.pos += 1;
        Ok(key)
    }

    /// A string literal; `pos` is at the opening quote.
    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let start = self.pos;
            while let Some(&b) = self.bytes.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(self.slice(start, self.pos)?);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let c = self.escape()?;
                    out.push(c);
                }
                Some(_) => return Err(self.err("an escape sequence, not a raw control character")),
                None => return Err(self.err("'\"' to close the string")),
            }
        }
    }

    /// The character after a backslash; `pos` is just past the backslash.
    fn escape(&mut self) -> Result<char, JsonError> {
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                return self.unicode_escape();
            }
            _ => return Err(self.err("a valid escape character")),
        };
        self.pos += 1;
        Ok(c)
    }

    /// `\uXXXX` (and a following low surrogate escape); lone surrogates become U+FFFD.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let high = self.hex4()?;
        if !(0xD800..0xDC00).contains(&high) {
            return Ok(char::from_u32(high).unwrap_or(char::REPLACEMENT_CHARACTER));
        }
        let save = self.pos;
        if self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u") {
            self.pos += 2;
            let low = self.hex4()?;
            if (0xDC00..0xE000).contains(&low) {
                let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                return Ok(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
            // Not a low surrogate: leave that escape to be read on its own.
            self.pos = save;
        }
        Ok(char::REPLACEMENT_CHARACTER)
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut value = 0u32;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(self.err("four hex digits after \\u")),
            };
            value = value * 16 + u32::from(digit);
            self.pos += 1;
        }
        Ok(value)
    }
}

impl Json {
    /// The value of field `key` (first match) if this is an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.as_object()?.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value of an integer (a decimal is never one).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Json::Int(n) => Some(*n),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[(String, Json)]> {
        match self {
            Json::Object(fields) => Some(fields),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// The JSON type name, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "boolean",
            Json::Int(_) | Json::Decimal(_) => "number",
            Json::String(_) => "string",
            Json::Array(_) => "array",
            Json::Object(_) => "object",
        }
    }

    /// Compact JSON, object keys in stored order.
    pub fn write(&self, out: &mut String) {
        self.write_with(out, false);
    }

    /// Compact JSON with object keys sorted by byte order at every level: a deterministic
    /// text for equal values (usable as a dedup key).
    pub fn write_canonical(&self, out: &mut String) {
        self.write_with(out, true);
    }

    /// [`Json::write`] into a new string.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    /// Recursive: fine for parsed values (depth bounded by `Limits`) and for values built in code.
    fn write_with(&self, out: &mut String, canonical: bool) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(true) => out.push_str("true"),
            Json::Bool(false) => out.push_str("false"),
            Json::Int(n) => write_int(out, *n),
            Json::Decimal(text) => out.push_str(text),
            Json::String(s) => write_str(out, s),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_with(out, canonical);
                }
                out.push(']');
            }
            Json::Object(fields) if canonical => {
                let mut sorted: Vec<&(String, Json)> = fields.iter().collect();
                // Stable: even hand-built objects with repeated keys write deterministically.
                super::sort::sort_by(&mut sorted, |a, b| a.0 < b.0);
                write_fields(out, sorted.into_iter(), canonical);
            }
            Json::Object(fields) => write_fields(out, fields.iter(), canonical),
        }
    }
}

fn write_fields<'a>(out: &mut String, fields: impl Iterator<Item = &'a (String, Json)>, canonical: bool) {
    out.push('{');
    for (i, (key, value)) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_str(out, key);
        out.push(':');
        value.write_with(out, canonical);
    }
    out.push('}');
}

/// Writes `s` as a JSON string literal with quotes. Escapes `"`, `\` and control characters
/// (short forms where JSON has them, `\u00XX` otherwise); everything else is copied as is.
pub fn write_str(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let mut start = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        let short = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            _ => continue,
        };
        out.push_str(s.get(start..i).unwrap_or_default());
        if short.is_empty() {
            out.push_str("\\u00");
            out.push(if b < 0x10 { '0' } else { '1' });
            out.push(char::from_digit(u32::from(b & 0x0f), 16).unwrap_or('0'));
        } else {
            out.push_str(short);
        }
        start = i + 1;
    }
    out.push_str(s.get(start..).unwrap_or_default());
    out.push('"');
}

/// Writes an integer in decimal without going through `fmt` (it runs for every id, count and version).
pub fn write_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let mut digits = [0u8; 20];
    let mut len = 0;
    let mut rest = n.unsigned_abs();
    loop {
        if let Some(slot) = digits.get_mut(len) {
            *slot = b'0' + (rest % 10) as u8;
        }
        len += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for d in digits.iter().take(len).rev() {
        out.push(char::from(*d));
    }
}

/// An upper bound of the power of ten of a number's text (`12.5e3` → 2 + 3): beyond 309 it is out of
/// `f64`'s range, which JavaScript would read as Infinity. Saturates on absurd exponents.
fn decimal_exponent(unsigned: &str) -> i64 {
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (unsigned.get(..at).unwrap_or(""), unsigned.get(at + 1..).unwrap_or("")),
        None => (unsigned, ""),
    };
    let whole = mantissa.split('.').next().unwrap_or("").trim_start_matches('0');
    let negative = exponent.starts_with('-');
    let magnitude = exponent
        .trim_start_matches(['+', '-'])
        .bytes()
        .fold(0i64, |acc, b| acc.saturating_mul(10).saturating_add(i64::from(b - b'0')));
    let exponent = if negative { -magnitude } else { magnitude };
    i64::try_from(whole.len()).unwrap_or(i64::MAX).saturating_add(exponent)
}

/// `s` as a JSON string literal, for error messages (cheaper in the `.wasm` than `{:?}`).
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_str(&mut out, s);
    out
}
