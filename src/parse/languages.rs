//! Code block languages: what the name on a fence means.
//!
//! Authors write the names they use on GitHub, so the names and aliases of GitHub Linguist
//! (`shell`, `console`, `jsonc`, `golang`, `pwsh`…) resolve here to a grammar of the highlighter.
//! Names not in [`ALIASES`] go to the highlighter as written: it knows its grammars by name and
//! by file extension (`rust`, `rs`, `py`, `tsx`, `yml`, `dockerfile`), so the table only holds
//! the names it would miss, or would give another grammar than GitHub does (`conf`).
//!
//! Two kinds of block are not highlighted yet not unknown: shell sessions (`console`), whose
//! prompt lines are highlighted as shell and whose output is shown as it is, and the blocks
//! Obsidian plugins render (`dataview`, `query`…), which a static site cannot run and shows as
//! code.

/// How a code block is shown, from the first word of its fence's info string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fence<'a> {
    /// No language, or one meaning plain text (`text`, `txt`, `plaintext`): shown as it is.
    Plain,
    /// Highlighted with the grammar the highlighter finds for this name (known or not).
    Code(&'a str),
    /// A shell session: lines starting with a prompt (`$ `) are commands, highlighted as
    /// [`SESSION_GRAMMAR`]; the other lines are output, shown as they are.
    Session,
    /// A block an Obsidian plugin renders (`dataview`, `query`, `base`…): shown as code.
    Plugin,
}

/// The grammar of a session's commands.
pub(crate) const SESSION_GRAMMAR: &str = "bash";

/// Names meaning plain text (Linguist's `Text` and its aliases, and common spellings).
const PLAIN: &[&str] = &[
    "fundamental",
    "nohighlight",
    "none",
    "plain",
    "plain-text",
    "plaintext",
    "text",
    "txt",
];

/// Linguist's `ShellSession` and the names people give it.
const SESSIONS: &[&str] = &[
    "bash-session",
    "console",
    "sh-session",
    "shell-session",
    "shellsession",
];

/// Languages of Obsidian's own and its community plugins' blocks. Admonitions (`ad-note`,
/// `ad-warning`…) are matched by their `ad-` prefix.
const PLUGINS: &[&str] = &[
    "base",
    "button",
    "chart",
    "datacore",
    "datacorejs",
    "datacorejsx",
    "datacorets",
    "datacoretsx",
    "dataview",
    "dataviewjs",
    "leaflet",
    "meta-bind",
    "meta-bind-button",
    "meta-bind-embed",
    "meta-bind-js-view",
    "query",
    "table-of-contents",
    "tasks",
    "todoist",
    "tracker",
];

/// Fence name (lower case) → a name the highlighter knows. From Linguist's language names
/// (lower-cased, spaces as `-`) and aliases, where the highlighter would not find them itself.
/// Sorted, for a binary search: `fence` runs for every code block of every page.
pub(crate) const ALIASES: &[(&str, &str)] = &[
    ("aconf", "htaccess"),
    ("actionscript3", "as"),
    ("ada2005", "ada"),
    ("ada95", "ada"),
    ("apache", "htaccess"),
    ("apacheconf", "htaccess"),
    ("as3", "as"),
    ("batch", "bat"),
    ("batchfile", "bat"),
    ("bsdmake", "make"),
    ("cake", "cs"),
    ("cakescript", "cs"),
    ("coffee-script", "coffee"),
    ("common-lisp", "lisp"),
    ("conf", "ini"),
    ("containerfile", "dockerfile"),
    ("cperl", "pl"),
    ("csharp", "cs"),
    ("delphi", "pas"),
    ("django", "jinja"),
    ("dlang", "d"),
    ("docker", "dockerfile"),
    ("dosbatch", "bat"),
    ("dosini", "ini"),
    ("elisp", "lisp"),
    ("emacs", "lisp"),
    ("emacs-lisp", "lisp"),
    ("envrc", "bash"),
    ("fortran", "f"),
    ("fortran-free-form", "f90"),
    ("fsharp", "F#"),
    ("geojson", "json"),
    ("git-config", "gitconfig"),
    ("git-ignore", "gitignore"),
    ("gitmodules", "gitconfig"),
    ("golang", "go"),
    ("graphviz", "dot"),
    ("html+django", "jinja"),
    ("html+jinja", "jinja"),
    ("htmldjango", "jinja"),
    ("ignore", "gitignore"),
    ("ignore-list", "gitignore"),
    ("javascriptreact", "jsx"),
    ("jruby", "rb"),
    ("json-with-comments", "json"),
    ("json5", "js"),
    ("jsonc", "json"),
    ("jsonl", "json"),
    ("jsonld", "json"),
    ("ksh", "bash"),
    ("lean4", "lean"),
    ("less-css", "less"),
    ("lhaskell", "lhs"),
    ("literate-haskell", "lhs"),
    ("macruby", "rb"),
    ("mf", "make"),
    ("mysql", "sql"),
    ("ndjson", "json"),
    ("nixos", "nix"),
    ("node", "js"),
    ("nroff", "groff"),
    ("nvim", "vim"),
    ("obj-c", "Objective-C"),
    ("obj-c++", "mm"),
    ("objc", "Objective-C"),
    ("objc++", "mm"),
    ("objectivec", "Objective-C"),
    ("objectivec++", "mm"),
    ("objectpascal", "pas"),
    ("octave", "matlab"),
    ("odin-lang", "odin"),
    ("odinlang", "odin"),
    ("opentofu", "hcl"),
    ("osascript", "applescript"),
    ("pandoc", "md"),
    ("plpgsql", "sql"),
    ("plsql", "sql"),
    ("posh", "ps1"),
    ("postgres", "sql"),
    ("postgresql", "sql"),
    ("pwsh", "ps1"),
    ("python3", "py"),
    ("regex", "re"),
    ("regexp", "re"),
    ("rscript", "r"),
    ("sarif", "json"),
    ("scheme", "scm"),
    ("sdc", "tcl"),
    ("shell", "bash"),
    ("shell-script", "bash"),
    ("shellscript", "bash"),
    ("splus", "r"),
    ("sqlite", "sql"),
    ("sqlpl", "sql"),
    ("ssh-config", "ssh_config"),
    ("sshconfig", "ssh_config"),
    ("sshdconfig", "sshd_config"),
    ("topojson", "json"),
    ("tsql", "sql"),
    ("udiff", "diff"),
    ("vim-script", "vim"),
    ("vimscript", "vim"),
    ("wikitext", "mediawiki"),
    ("winbatch", "bat"),
    ("wsdl", "xml"),
    ("xdc", "tcl"),
];

/// What the fence language `lang` (as written, any case) means.
pub(crate) fn fence(lang: &str) -> Fence<'_> {
    if lang.is_empty() {
        return Fence::Plain;
    }
    if lang
        .get(..3)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("ad-"))
    {
        return Fence::Plugin;
    }
    // Lower-cased once into a buffer on the stack; a longer name is in no table.
    let mut buffer = [0u8; 32];
    let Some(lower) = buffer.get_mut(..lang.len()).and_then(|lower| {
        lower.copy_from_slice(lang.as_bytes());
        lower.make_ascii_lowercase();
        std::str::from_utf8(lower).ok()
    }) else {
        return Fence::Code(lang);
    };
    let listed = |table: &[&str]| table.binary_search(&lower).is_ok();
    if listed(PLAIN) {
        Fence::Plain
    } else if listed(SESSIONS) {
        Fence::Session
    } else if listed(PLUGINS) {
        Fence::Plugin
    } else {
        match ALIASES.binary_search_by(|(name, _)| name.cmp(&lower)) {
            Ok(i) => Fence::Code(ALIASES[i].1),
            Err(_) => Fence::Code(lang),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::parse::highlight::Highlighter;

    #[test]
    fn every_alias_resolves_to_a_grammar() {
        let highlighter = Highlighter::new();
        let unknown: Vec<_> = ALIASES
            .iter()
            .filter(|(_, grammar)| !highlighter.knows(grammar))
            .collect();
        assert!(unknown.is_empty(), "{unknown:?}");
        assert!(highlighter.knows(SESSION_GRAMMAR));
    }

    /// An alias the highlighter already knows must be there to change its grammar (`conf` is
    /// INI on GitHub, nginx for the highlighter); anything else is dead weight.
    #[test]
    fn aliases_are_not_redundant() {
        let highlighter = Highlighter::new();
        let grammar = |name: &str| {
            highlighter
                .syntaxes
                .find_syntax_by_token(name)
                .map(|s| s.name.clone())
        };
        let redundant: Vec<_> = ALIASES
            .iter()
            .filter(|(name, target)| grammar(name).is_some() && grammar(name) == grammar(target))
            .collect();
        assert!(redundant.is_empty(), "{redundant:?}");
    }

    #[test]
    fn names_are_lower_case_sorted_and_in_one_table_only() {
        // `fence` lower-cases into 32 bytes.
        let longest = PLAIN
            .iter()
            .chain(SESSIONS)
            .chain(PLUGINS)
            .chain(ALIASES.iter().map(|(name, _)| name))
            .map(|name| name.len())
            .max();
        assert!(longest <= Some(32), "{longest:?}");
        let mut seen = HashSet::new();
        let names = PLAIN
            .iter()
            .chain(SESSIONS)
            .chain(PLUGINS)
            .chain(ALIASES.iter().map(|(name, _)| name));
        for name in names {
            assert_eq!(*name, name.to_ascii_lowercase());
            assert!(seen.insert(*name), "`{name}` is listed twice");
        }
        // Sorted, for `fence`'s binary search.
        for table in [PLAIN, SESSIONS, PLUGINS] {
            assert!(table.is_sorted(), "{table:?}");
        }
        assert!(ALIASES.is_sorted_by_key(|(name, _)| *name));
    }

    #[test]
    fn github_names_resolve() {
        let highlighter = Highlighter::new();
        for name in [
            "shell",
            "sh",
            "zsh",
            "bash",
            "jsonc",
            "dockerfile",
            "Dockerfile",
            "tsx",
            "jsx",
            "yml",
            "golang",
            "pwsh",
            "csharp",
            "objc",
        ] {
            let Fence::Code(grammar) = fence(name) else {
                panic!("`{name}` is not code");
            };
            assert!(highlighter.knows(grammar), "{name}");
        }
        assert_eq!(fence("conf"), Fence::Code("ini"));
        assert_eq!(fence("Rust"), Fence::Code("Rust"));
        for name in ["", "text", "TXT", "plaintext", "plain"] {
            assert_eq!(fence(name), Fence::Plain, "{name}");
        }
        for name in ["console", "shell-session", "ShellSession"] {
            assert_eq!(fence(name), Fence::Session, "{name}");
        }
        for name in [
            "dataview",
            "DataviewJS",
            "query",
            "base",
            "tasks",
            "ad-note",
        ] {
            assert_eq!(fence(name), Fence::Plugin, "{name}");
        }
        assert_eq!(fence("ad"), Fence::Code("ad"));
        assert_eq!(fence("AD-a-very-long-admonition-type-name"), Fence::Plugin);
        let long = "x".repeat(40);
        assert_eq!(fence(&long), Fence::Code(long.as_str()));
        assert_eq!(fence("ÉTÉ"), Fence::Code("ÉTÉ"));
    }
}
