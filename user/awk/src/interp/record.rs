//! The current record `$0` and its fields, split lazily by the field separator in
//! force when the record was read, and rebuilt with OFS when a field or NF changes.
use std::rc::Rc;

use regex_lite::Regex;

use super::value::Value;

/// How FS splits a record.
#[derive(Debug)]
pub enum Splitter {
    /// The default `" "`: runs of blanks and newlines, leading and trailing ignored.
    Blanks,
    /// Any other single character, literally (also newlines in paragraph mode).
    Char(char, bool),
    /// The empty FS: each character is a field.
    Chars,
    Regex(Regex),
}

impl Splitter {
    /// The splitter for FS `fs`; `paragraphs` when RS is "" (newlines separate too).
    pub fn new(fs: &str, paragraphs: bool) -> Result<Self, String> {
        let mut chars = fs.chars();
        Ok(match (chars.next(), chars.next()) {
            (Some(' '), None) => Splitter::Blanks,
            (None, _) => Splitter::Chars,
            (Some(char), None) => Splitter::Char(char, paragraphs),
            _ if paragraphs => Splitter::Regex(crate::regex::compile(&format!("({fs})|\n"))?),
            _ => Splitter::Regex(crate::regex::compile(fs)?),
        })
    }

    /// `text`'s fields.
    pub fn split(&self, text: &str, out: &mut Vec<Value>) {
        match self {
            Splitter::Blanks => {
                out.extend(text.split([' ', '\t', '\n']).filter(|field| !field.is_empty()).map(Value::input));
            }
            _ if text.is_empty() => {}
            Splitter::Char(char, paragraphs) => {
                out.extend(text.split(|c| c == *char || (*paragraphs && c == '\n')).map(Value::input));
            }
            Splitter::Chars => out.extend(text.chars().map(|char| Value::input(char.to_string()))),
            Splitter::Regex(regex) => {
                let mut start = 0;
                for found in regex.find_iter(text) {
                    if found.is_empty() {
                        continue;
                    }
                    out.push(Value::input(&text[start..found.start()]));
                    start = found.end();
                }
                out.push(Value::input(&text[start..]));
            }
        }
    }
}

#[derive(Debug)]
pub struct Record {
    text: Rc<str>,
    fields: Vec<Value>,
    split: bool,
    /// A field or NF changed: `text` must be rebuilt.
    dirty: bool,
    splitter: Rc<Splitter>,
}

impl Record {
    pub fn new(splitter: Rc<Splitter>) -> Self {
        Self { text: Rc::from(""), fields: Vec::new(), split: true, dirty: false, splitter }
    }

    /// A new `$0`, split later by `splitter`.
    pub fn set(&mut self, text: Rc<str>, splitter: Rc<Splitter>) {
        self.text = text;
        self.splitter = splitter;
        self.fields.clear();
        self.split = false;
        self.dirty = false;
    }

    fn ensure_split(&mut self) {
        if !self.split {
            self.splitter.split(&self.text, &mut self.fields);
            self.split = true;
        }
    }

    /// `$0`, rebuilt with `ofs` if a field changed.
    pub fn text(&mut self, ofs: &str, convfmt: &str) -> Rc<str> {
        if self.dirty {
            let parts: Vec<Rc<str>> = self.fields.iter().map(|field| field.string(convfmt)).collect();
            self.text = Rc::from(parts.join(ofs));
            self.dirty = false;
        }
        self.text.clone()
    }

    pub fn nf(&mut self) -> usize {
        self.ensure_split();
        self.fields.len()
    }

    /// `$i` for i >= 1.
    pub fn field(&mut self, index: usize) -> Value {
        self.ensure_split();
        self.fields.get(index - 1).cloned().unwrap_or_default()
    }

    /// Sets `$i` (i >= 1), adding empty fields up to it.
    pub fn set_field(&mut self, index: usize, value: Value) {
        self.ensure_split();
        if index > self.fields.len() {
            self.fields.resize(index, Value::Uninit);
        }
        self.fields[index - 1] = value;
        self.dirty = true;
    }

    pub fn set_nf(&mut self, nf: usize) {
        self.ensure_split();
        self.fields.resize(nf, Value::Uninit);
        self.dirty = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(fs: &str, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        Splitter::new(fs, false).unwrap().split(text, &mut out);
        out.iter().map(|value| value.string("%.6g").to_string()).collect()
    }

    #[test]
    fn separators() {
        assert_eq!(fields(" ", "  a b\t c  "), ["a", "b", "c"]);
        assert_eq!(fields(":", "a::b:"), ["a", "", "b", ""]);
        assert_eq!(fields("\t", "a b\tc"), ["a b", "c"]);
        assert_eq!(fields("[0-9]+", "a12b3c"), ["a", "b", "c"]);
        assert_eq!(fields("", "abc"), ["a", "b", "c"]);
        assert_eq!(fields("|", "a|b"), ["a", "b"]);
        assert_eq!(fields("\\", "a\\b"), ["a", "b"]);
        assert!(fields(":", "").is_empty());
    }

    #[test]
    fn fields_rebuild_the_record() {
        let splitter = Rc::new(Splitter::new(" ", false).unwrap());
        let mut record = Record::new(splitter.clone());
        record.set(Rc::from("a b c"), splitter);
        assert_eq!(record.nf(), 3);
        record.set_field(5, Value::str("e"));
        assert_eq!(&*record.text("-", "%.6g"), "a-b-c--e");
        record.set_nf(2);
        assert_eq!(&*record.text(" ", "%.6g"), "a b");
    }
}
