//! Output for tools and shells: JSON diagnostics, verbose stages, completions, colour choice.

use crate::support::Site;

#[test]
fn json_diagnostics_are_one_object_per_line() {
    let site = Site::new("title = \"T\"\n");
    site.write("content/a.md", "---\ntitel: A\n---\n");
    site.write("content/b.md", "[x](nope.md)\n");
    let run = site.run(&["--message-format", "json", "build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        concat!(
            r#"{"path":"content/a.md","line":2,"column":1,"severity":"error","message":"unknown field `titel` in front matter","hint":"did you mean `title`?"}"#,
            "\n",
            r#"{"path":"content/b.md","line":1,"column":5,"severity":"error","message":"broken link: `content/nope.md` does not exist","hint":"link to an existing file below content/, e.g. `@/essays/page.md`"}"#,
            "\n"
        )
    );
    assert_eq!(
        run.stderr,
        "error: build failed with 2 errors; nothing was written\n"
    );
}

#[test]
fn verbose_lists_each_stage() {
    let site = Site::new("title = \"T\"\n");
    site.write("content/a.md", "# A\n");
    let run = site.run(&["--verbose", "build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let first = run.stdout.lines().next().unwrap();
    for stage in ["load", "parse", "resolve", "render", "write"] {
        assert!(first.contains(&format!("{stage} ")), "{first}");
    }
}

#[test]
fn shell_completions() {
    let site = Site::empty();
    for shell in ["bash", "zsh", "fish"] {
        let run = site.run(&["completions", shell]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stdout.contains("steppe"), "{shell}: {}", run.stdout);
        assert!(run.stdout.contains("build"), "{shell}");
    }
}

#[test]
fn colour_follows_the_flag() {
    let site = Site::empty();
    let plain = site.run(&["--color", "never", "build"]);
    assert!(!plain.stderr.contains('\u{1b}'), "{}", plain.stderr);
    let coloured = site.run(&["--color", "always", "build"]);
    assert!(coloured.stderr.contains("\u{1b}["), "{}", coloured.stderr);
}

/// Runs `steppe build` inside a pseudo-terminal (util-linux `script`), as an author would.
fn build_in_terminal(site: &Site, extra: &[&str]) -> String {
    let binary = env!("CARGO_BIN_EXE_steppe");
    let command = std::iter::once(binary)
        .chain(extra.iter().copied())
        .chain(["build"])
        .collect::<Vec<_>>()
        .join(" ");
    let output = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(site.path())
        .env("STEPPE_PROGRESS_DELAY_MS", "0")
        .output()
        .expect("`script` from util-linux runs commands in a pseudo-terminal");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn progress_bar_only_on_a_terminal() {
    let site = Site::new("title = \"T\"\n");
    for i in 0..200 {
        site.write(&format!("content/p{i}.md"), "# A page\n\nSome text.\n");
    }
    let terminal = build_in_terminal(&site, &[]);
    let drawn = |out: &str| {
        ["load ", "parse ", "resolve ", "render ", "write "]
            .iter()
            .any(|stage| out.contains("\u{1b}[2K") && out.contains(stage))
    };
    assert!(drawn(&terminal), "no progress drawn: {terminal:?}");
    assert!(terminal.contains("built 200 pages"), "{terminal:?}");
    let quiet = build_in_terminal(&site, &["--quiet"]);
    assert!(!drawn(&quiet), "{quiet:?}");
    let piped = site.run(&["build"]);
    assert!(
        !drawn(&piped.stderr) && !piped.stderr.contains('\r'),
        "{piped:?}"
    );
}
