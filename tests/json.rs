//! The strict JSON parser and writer: every rule accepted and refused, round trips, hostile sizes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use ops_ux_engine::domain::json::*;
use JsonError::{DuplicateKey, ForbiddenKey, NumberOutOfRange, TooDeep, TooLarge};

fn p(text: &str) -> Result<Json, JsonError> {
    parse(text, Limits::default())
}

fn err(text: &str) -> JsonError {
    p(text).unwrap_err()
}

fn string(text: &str) -> String {
    p(text).unwrap().as_str().unwrap().to_string()
}

/// Every case in `cases` (separated by " | ") must be a Syntax error.
fn rejects(cases: &str) {
    for t in cases.split(" | ") {
        let r = p(t);
        assert!(matches!(r, Err(JsonError::Syntax { .. })), "{t:?}: {r:?}");
    }
}

fn lim(max_depth: usize, max_bytes: usize) -> Limits {
    Limits { max_depth, max_bytes }
}

/// A number's text as the engine writes it back after parsing.
fn num(text: &str) -> String {
    p(text).unwrap().to_text()
}

fn quoted(text: &str) -> String {
    let mut out = String::new();
    write_str(&mut out, text);
    out
}

fn canonical(text: &str) -> String {
    let mut out = String::new();
    p(text).unwrap().write_canonical(&mut out);
    out
}

fn key(k: &str) -> String {
    k.to_string()
}

fn many_keys(n: usize, dup_at: Option<usize>) -> String {
    let key = |i| if Some(i) == dup_at { 0 } else { i };
    let fields: Vec<String> = (0..n).map(|i| format!("\"k{}\":{i}", key(i))).collect();
    format!("{{{}}}", fields.join(","))
}

#[test]
fn parses_scalars() {
    assert_eq!(p("null"), Ok(Json::Null));
    assert_eq!(p("true"), Ok(Json::Bool(true)));
    assert_eq!(p("false"), Ok(Json::Bool(false)));
    assert_eq!(p("-12.5e1"), Ok(Json::Decimal("-12.5e1".into())));
    assert_eq!(p("-125"), Ok(Json::Int(-125)));
    assert_eq!(string("\"hi\""), "hi");
}

#[test]
fn parses_nested_values_in_input_order() {
    let v = p(r#" {"b": [1, {"c": null}], "a": "x"} "#).unwrap();
    let fields = v.as_object().unwrap();
    assert_eq!((fields[0].0.as_str(), fields[1].0.as_str()), ("b", "a"));
    assert_eq!(v.get("a").and_then(Json::as_str), Some("x"));
    let inner = &v.get("b").unwrap().as_array().unwrap()[1];
    assert!(inner.get("c").unwrap().is_null());
}

#[test]
fn empty_containers_and_whitespace() {
    assert_eq!(p(" \t\r\n[ ] "), Ok(Json::Array(vec![])));
    assert_eq!(p("{ }"), Ok(Json::Object(vec![])));
    assert_eq!(p("[[],{}]").unwrap().to_text(), "[[],{}]");
}

#[test]
fn round_trips() {
    let text = r#"{"s":"a\"b\\c\n\u0001é😀","n":[0.1,-3,1e300,5e-324],"o":{"z":null}}"#;
    let v = p(text).unwrap();
    assert_eq!(v.to_text(), text);
    assert_eq!(p(&v.to_text()), Ok(v.clone()));
    assert_eq!(p(&canonical(text)).unwrap().get("s"), v.get("s"));
}

#[test]
fn refuses_empty_input_and_trailing_garbage() {
    rejects(" |    | 1 2 | null x | truefalse | [1]] | {}{}");
}

#[test]
fn refuses_trailing_and_leading_commas() {
    rejects(r#"[1,] | {"a":1,} | [,1] | {,}"#);
}

#[test]
fn refuses_comments_quotes_and_bare_words() {
    rejects("[1] // c | /* c */ 1 | 'a' | {a:1} | NaN | Infinity | -Infinity | nul");
}

#[test]
fn refuses_bad_numbers() {
    rejects("01 | -01 | +1 | .5 | 1. | 1e | 1e+ | - | 0x10 | 1.e3 | --1 | [01]");
}

#[test]
fn accepts_number_grammar() {
    let ints = [("-0", 0), ("7", 7), ("3.000", 3), ("-999999999999999999", -999_999_999_999_999_999)];
    for (text, n) in ints {
        assert_eq!(p(text), Ok(Json::Int(n)), "{text}");
    }
    for text in ["1E2", "1e-2", "2.5E+3", "0.5", "1e-400", "1000000000000000000000", "1.7976931348623157e308"]
    {
        assert_eq!(p(text), Ok(Json::Decimal(text.into())), "{text}");
    }
}

#[test]
fn number_out_of_range() {
    assert_eq!(err("1e400"), NumberOutOfRange { offset: 0 });
    assert_eq!(err("[0, -1e309]"), NumberOutOfRange { offset: 4 });
    assert_eq!(err("0.0001e99999999999999999999999"), NumberOutOfRange { offset: 0 });
    assert_eq!(err(&"9".repeat(310)), NumberOutOfRange { offset: 0 });
}

#[test]
fn refuses_bad_structure() {
    rejects(r#"[1 2] | {"a" 1} | {"a":1 "b":2} | {1:2} | [ | {"a": | ] | }"#);
}

#[test]
fn syntax_error_reports_offset() {
    let expected = "a value";
    assert_eq!(err("[1,]"), JsonError::Syntax { offset: 3, expected });
    let message = err("[1 2]").to_string();
    assert_eq!(message, "invalid JSON at byte 3: expected ',' or ']'");
}

#[test]
fn string_escapes() {
    let parsed = string(r#""\"\\\/\b\f\n\r\t\u0041\u00e9""#);
    assert_eq!(parsed, "\"\\/\u{8}\u{c}\n\r\tAé");
}

#[test]
fn refuses_bad_escapes() {
    rejects(r#""\x" | "\u12" | "\u12G4" | "\'" | "abc\ | "\U0041""#);
}

#[test]
fn refuses_raw_control_characters_and_unterminated_strings() {
    rejects("\"a\nb\" | \"a\u{0}b\" | \"a\tb\" | \"a\u{1f}\" | \"abc");
    assert_eq!(string("\"a\u{7f}b\""), "a\u{7f}b");
}

#[test]
fn surrogate_pairs_combine() {
    assert_eq!(string(r#""\uD83D\uDE00""#), "😀");
    assert_eq!(string(r#""x\ud83d\ude00y""#), "x😀y");
}

#[test]
fn lone_surrogates_become_replacement_character() {
    assert_eq!(string(r#""\uD83D""#), "\u{FFFD}");
    assert_eq!(string(r#""\uDE00""#), "\u{FFFD}");
    assert_eq!(string(r#""\uD83Dx""#), "\u{FFFD}x");
    assert_eq!(string(r#""\uD83D\n""#), "\u{FFFD}\n");
    // A high surrogate then a non-low escape: the second escape is read on its own.
    assert_eq!(string(r#""\uD83D\u0041""#), "\u{FFFD}A");
    assert_eq!(string(r#""\uD83D\uD83D\uDE00""#), "\u{FFFD}😀");
}

#[test]
fn unicode_passes_through() {
    let text = "\"héllo — 日本 😀 \u{2028}\"";
    assert_eq!(string(text), "héllo — 日本 😀 \u{2028}");
    assert_eq!(p(text).unwrap().to_text(), text);
}

#[test]
fn depth_limit_is_exact() {
    assert!(p(&format!("{}{}", "[".repeat(32), "]".repeat(32))).is_ok());
    let deep = format!("{}{}", "[".repeat(33), "]".repeat(33));
    assert_eq!(err(&deep), TooDeep { max: 32 });
    let objects = format!("{}1{}", r#"{"a":"#.repeat(33), "}".repeat(33));
    assert_eq!(err(&objects), TooDeep { max: 32 });
}

#[test]
fn hostile_nesting_does_not_crash() {
    let text = "[".repeat(100_000);
    assert_eq!(err(&text), TooDeep { max: 32 });
    // With no effective limit the iterative parser still does not recurse.
    let r = parse(&text, lim(usize::MAX, usize::MAX));
    assert!(matches!(r, Err(JsonError::Syntax { offset, .. }) if offset == 100_000));
}

#[test]
fn depth_zero_allows_only_scalars() {
    assert_eq!(parse("1", lim(0, 100)), Ok(Json::Int(1)));
    assert_eq!(parse("{}", lim(0, 100)), Err(TooDeep { max: 0 }));
}

#[test]
fn size_limit_checked_first() {
    assert_eq!(parse("null", lim(32, 4)), Ok(Json::Null));
    assert_eq!(parse("[[[[[", lim(1, 4)), Err(TooLarge { bytes: 5, max: 4 }));
    let big = format!("\"{}\"", "a".repeat(1_048_575));
    let (bytes, max) = (1_048_577, 1_048_576);
    assert_eq!(err(&big), TooLarge { bytes, max });
}

#[test]
fn forbidden_keys_anywhere() {
    for k in FORBIDDEN_KEYS {
        assert_eq!(err(&format!(r#"{{"{k}":1}}"#)), ForbiddenKey { key: key(k) });
        let deep = format!(r#"{{"a":[{{"b":{{"ok":1,"{k}":{{}}}}}}]}}"#);
        assert_eq!(err(&deep), ForbiddenKey { key: key(k) });
    }
    let escaped = err(r#"{"\u005f_proto__":1}"#);
    assert_eq!(escaped, ForbiddenKey { key: key("__proto__") });
    assert!(p(r#"{"a":"__proto__","Prototype":1}"#).is_ok());
}

#[test]
fn duplicate_keys_in_small_object() {
    assert_eq!(err(r#"{"a":1,"b":2,"a":3}"#), DuplicateKey { key: key("a") });
    assert!(p(r#"{"a":{"a":1},"b":{"a":2}}"#).is_ok());
}

#[test]
fn duplicate_keys_in_large_object() {
    let v = p(&many_keys(40, None)).unwrap();
    assert_eq!(v.as_object().unwrap().len(), 40);
    for (n, at) in [(16, 15), (17, 16), (40, 39), (40, 20)] {
        let e = err(&many_keys(n, Some(at)));
        assert_eq!(e, DuplicateKey { key: key("k0") }, "{n} {at}");
    }
}

#[test]
fn many_keys_is_not_quadratic() {
    let v = parse(&many_keys(100_000, None), lim(32, 10_000_000)).unwrap();
    assert_eq!(v.as_object().unwrap().len(), 100_000);
}

#[test]
fn canonical_sorts_keys_recursively() {
    let text = r#"{"b":1,"a":{"z":[{"y":1,"x":2}],"m":null},"B":true}"#;
    let sorted = r#"{"B":true,"a":{"m":null,"z":[{"x":2,"y":1}]},"b":1}"#;
    assert_eq!(canonical(text), sorted);
    assert_eq!(p(text).unwrap().to_text(), text);
}

#[test]
fn canonical_is_stable_across_input_orders() {
    let a = canonical(r#"{"x":1,"é":2,"e":3,"ab":4,"a":5}"#);
    let b = canonical(r#"{"a":5,"ab":4,"e":3,"é":2,"x":1}"#);
    assert_eq!(a, b);
    assert_eq!(a, r#"{"a":5,"ab":4,"e":3,"x":1,"é":2}"#);
    assert_eq!(canonical(&a), a);
}

#[test]
fn numbers_are_written_back_as_javascript_wrote_them() {
    let cases =
        [("0", "0"), ("-0", "0"), ("42", "42"), ("3.0", "3"), ("9007199254740991", "9007199254740991")];
    for (text, written) in cases {
        assert_eq!(num(text), written);
    }
    for text in ["0.5", "-0.25", "1e21", "1e-7", "0.30000000000000004", "-1.5e-300", "5e-324"] {
        assert_eq!(num(text), text, "a decimal keeps its exact text");
    }
}

#[test]
fn write_str_escapes() {
    assert_eq!(quoted("a\"b\\c"), r#""a\"b\\c""#);
    assert_eq!(quoted("\n\r\t\u{8}\u{c}"), r#""\n\r\t\b\f""#);
    assert_eq!(quoted("\u{0}\u{1f}\u{b}"), r#""\u0000\u001f\u000b""#);
    assert_eq!(quoted("/ \u{7f} é"), "\"/ \u{7f} é\"");
    assert_eq!(quoted(""), "\"\"");
}

#[test]
fn write_str_round_trips_every_control_char() {
    let all: String = (0u8..0x20).map(char::from).collect::<String>() + "\"\\é😀";
    assert_eq!(string(&quoted(&all)), all);
}

#[test]
fn accessors_and_type_names() {
    let v = p(r#"[null,true,1,"s",[],{}]"#).unwrap();
    let items = v.as_array().unwrap();
    let names: Vec<_> = items.iter().map(Json::type_name).collect();
    assert_eq!(names.join(","), "null,boolean,number,string,array,object");
    assert!(items[0].is_null() && !items[1].is_null());
    assert_eq!((items[1].as_bool(), items[2].as_i64()), (Some(true), Some(1)));
    assert_eq!((items[3].as_str(), items[2].as_str()), (Some("s"), None));
    assert_eq!(items[5].as_object().map(<[_]>::len), Some(0));
    assert!(items[3].get("x").is_none() && items[5].get("x").is_none());
    assert!(v.as_object().is_none() && items[0].as_array().is_none());
}

#[test]
fn error_messages_are_sentences() {
    let cases = [
        (TooLarge { bytes: 10, max: 5 }, "10 bytes long, more than the limit of 5"),
        (TooDeep { max: 32 }, "more than 32 levels deep"),
        (ForbiddenKey { key: key("__proto__") }, "\"__proto__\" is not allowed"),
        (DuplicateKey { key: key("a\n") }, "\"a\\n\" appears more than once"),
        (NumberOutOfRange { offset: 7 }, "byte 7 is too large"),
    ];
    for (error, fragment) in cases {
        assert!(error.to_string().contains(fragment), "{error}");
    }
}

#[test]
fn only_four_whitespace_characters() {
    rejects("\u{c}1 | \u{a0}1 | [1,\u{b}2] | 1\u{feff}");
}
