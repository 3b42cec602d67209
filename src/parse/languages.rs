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
pub enum Fence<'a> {
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
pub const SESSION_GRAMMAR: &str = "bash";

/// Names meaning plain text (Linguist's `Text` and its aliases, and common spellings).
const PLAIN: &[&str] = &[
    "text",
    "txt",
    "plain",
    "plaintext",
    "plain-text",
    "fundamental",
    "none",
    "nohighlight",
];

/// Linguist's `ShellSession` and the names people give it.
const SESSIONS: &[&str] = &[
    "console",
    "shellsession",
    "shell-session",
    "bash-session",
    "sh-session",
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
pub const ALIASES: &[(&str, &str)] = &[
    // Shell
    ("shell", "bash"),
    ("shell-script", "bash"),
    ("shellscript", "bash"),
    ("envrc", "bash"),
    ("ksh", "bash"),
    // JSON and its relatives (the JSON grammar reads comments)
    ("jsonc", "json"),
    ("json-with-comments", "json"),
    ("geojson", "json"),
    ("topojson", "json"),
    ("jsonl", "json"),
    ("ndjson", "json"),
    ("sarif", "json"),
    ("jsonld", "json"),
    ("json5", "js"),
    // Web
    ("node", "js"),
    ("javascriptreact", "jsx"),
    ("less-css", "less"),
    ("coffee-script", "coffee"),
    ("wsdl", "xml"),
    ("django", "jinja"),
    ("htmldjango", "jinja"),
    ("html+django", "jinja"),
    ("html+jinja", "jinja"),
    // Containers and configuration
    ("docker", "dockerfile"),
    ("containerfile", "dockerfile"),
    ("conf", "ini"),
    ("dosini", "ini"),
    ("apache", "htaccess"),
    ("apacheconf", "htaccess"),
    ("aconf", "htaccess"),
    ("gitmodules", "gitconfig"),
    ("git-config", "gitconfig"),
    ("ignore", "gitignore"),
    ("git-ignore", "gitignore"),
    ("ignore-list", "gitignore"),
    ("sshconfig", "ssh_config"),
    ("ssh-config", "ssh_config"),
    ("sshdconfig", "sshd_config"),
    ("opentofu", "hcl"),
    ("nixos", "nix"),
    ("graphviz", "dot"),
    // Languages
    ("python3", "py"),
    ("jruby", "rb"),
    ("macruby", "rb"),
    ("csharp", "cs"),
    ("cake", "cs"),
    ("cakescript", "cs"),
    ("fsharp", "F#"),
    ("objc", "Objective-C"),
    ("obj-c", "Objective-C"),
    ("objectivec", "Objective-C"),
    ("objc++", "mm"),
    ("obj-c++", "mm"),
    ("objectivec++", "mm"),
    ("golang", "go"),
    ("dlang", "d"),
    ("delphi", "pas"),
    ("objectpascal", "pas"),
    ("ada95", "ada"),
    ("ada2005", "ada"),
    ("fortran", "f"),
    ("fortran-free-form", "f90"),
    ("cperl", "pl"),
    ("rscript", "r"),
    ("splus", "r"),
    ("octave", "matlab"),
    ("lhaskell", "lhs"),
    ("literate-haskell", "lhs"),
    ("elisp", "lisp"),
    ("emacs", "lisp"),
    ("emacs-lisp", "lisp"),
    ("common-lisp", "lisp"),
    ("scheme", "scm"),
    ("vimscript", "vim"),
    ("vim-script", "vim"),
    ("nvim", "vim"),
    ("lean4", "lean"),
    ("odinlang", "odin"),
    ("odin-lang", "odin"),
    ("as3", "as"),
    ("actionscript3", "as"),
    ("osascript", "applescript"),
    ("sdc", "tcl"),
    ("xdc", "tcl"),
    ("wikitext", "mediawiki"),
    ("nroff", "groff"),
    ("regex", "re"),
    ("regexp", "re"),
    ("udiff", "diff"),
    ("pandoc", "md"),
    // Shells and build tools of other systems
    ("posh", "ps1"),
    ("pwsh", "ps1"),
    ("batch", "bat"),
    ("batchfile", "bat"),
    ("dosbatch", "bat"),
    ("winbatch", "bat"),
    ("bsdmake", "make"),
    ("mf", "make"),
    // SQL dialects (one grammar for all)
    ("plpgsql", "sql"),
    ("plsql", "sql"),
    ("tsql", "sql"),
    ("sqlpl", "sql"),
    ("mysql", "sql"),
    ("postgresql", "sql"),
    ("postgres", "sql"),
    ("sqlite", "sql"),
];

/// What the fence language `lang` (as written, any case) means.
pub fn fence(lang: &str) -> Fence<'_> {
    let is = |name: &&str| lang.eq_ignore_ascii_case(name);
    if lang.is_empty() || PLAIN.iter().any(is) {
        return Fence::Plain;
    }
    if SESSIONS.iter().any(is) {
        return Fence::Session;
    }
    if PLUGINS.iter().any(is)
        || lang
            .get(..3)
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case("ad-"))
    {
        return Fence::Plugin;
    }
    match ALIASES.iter().find(|(name, _)| is(name)) {
        Some(&(_, grammar)) => Fence::Code(grammar),
        None => Fence::Code(lang),
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
    fn names_are_lower_case_and_in_one_table_only() {
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
    }
}
