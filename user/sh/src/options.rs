//! The shell's options, as `set -e` or `set -o errexit` turns them on and `$-`
//! shows them.

/// The options by letter and long name, in dash's `$-` order.
const OPTIONS: [(char, &str); 11] = [
    ('u', "nounset"),
    ('a', "allexport"),
    ('C', "noclobber"),
    ('v', "verbose"),
    ('x', "xtrace"),
    ('s', "stdin"),
    ('n', "noexec"),
    ('m', "monitor"),
    ('i', "interactive"),
    ('f', "noglob"),
    ('e', "errexit"),
];

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Options {
    on: Vec<char>,
}

impl Options {
    pub fn is_set(&self, letter: char) -> bool {
        self.on.contains(&letter)
    }

    /// Sets option `letter`; `Err` for an unknown one.
    pub fn set(&mut self, letter: char, on: bool) -> Result<(), String> {
        if !OPTIONS.iter().any(|&(known, _)| known == letter) {
            return Err(format!("-{letter}: invalid option"));
        }
        self.on.retain(|&other| other != letter);
        if on {
            self.on.push(letter);
        }
        Ok(())
    }

    /// The letter of the option with long name `name`.
    pub fn letter(name: &str) -> Result<char, String> {
        OPTIONS
            .iter()
            .find(|&&(_, long)| long == name)
            .map(|&(letter, _)| letter)
            .ok_or_else(|| format!("{name}: invalid option name"))
    }

    /// `$-`: the letters of the options that are on.
    pub fn flags(&self) -> String {
        OPTIONS.iter().map(|&(letter, _)| letter).filter(|&letter| self.is_set(letter)).collect()
    }

    /// `set -o`: each option and whether it is on.
    pub fn listing(&self) -> Vec<String> {
        let options = OPTIONS
            .iter()
            .rev()
            .map(|&(letter, name)| format!("{name:<16}{}", if self.is_set(letter) { "on" } else { "off" }));
        std::iter::once("Current option settings".to_string()).chain(options).collect()
    }

    /// `set +o`: commands that set the options as they are.
    pub fn commands(&self) -> Vec<String> {
        OPTIONS
            .iter()
            .rev()
            .filter(|&&(letter, _)| letter != 'i' && letter != 's')
            .map(|&(letter, name)| format!("set {}o {name}", if self.is_set(letter) { '-' } else { '+' }))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_and_names() {
        let mut options = Options::default();
        options.set('x', true).unwrap();
        options.set(Options::letter("errexit").unwrap(), true).unwrap();
        options.set('u', true).unwrap();
        options.set('u', false).unwrap();
        assert!(options.is_set('e') && options.is_set('x') && !options.is_set('u'));
        assert_eq!(options.flags(), "xe");
        assert!(options.set('z', true).is_err());
        assert!(Options::letter("nope").is_err());
        assert!(options.listing().contains(&"errexit         on".to_string()));
        assert!(options.commands().contains(&"set +o nounset".to_string()));
    }
}
