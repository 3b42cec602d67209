//! `--help` as users read it: every subcommand's help, rendered by the real binary, is a
//! snapshot (`cargo insta review` after a deliberate change), and no argument or subcommand may
//! go without a description.

use std::process::Command;

use clap::CommandFactory;
use steppe::cli::Cli;

/// `steppe <args…> --help`, as printed to a pipe (no colours, clap's fixed width).
fn help(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_steppe"))
        .args(args)
        .arg("--help")
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stderr.is_empty(),
        "steppe {} --help: {:?}\n{stderr}",
        args.join(" "),
        output.status
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn every_subcommands_help_is_its_snapshot() {
    insta::assert_snapshot!("steppe", help(&[]));
    let cli = Cli::command();
    let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
    assert_eq!(
        names,
        ["completions", "build", "check", "init", "new", "serve"],
        "a subcommand was added or removed: snapshot its help here"
    );
    for name in names {
        insta::assert_snapshot!(format!("steppe_{name}"), help(&[name]));
    }
}

/// Paths (`steppe serve --port`) of the arguments and subcommands of `command` and below that
/// have no description.
fn undescribed(command: &clap::Command, path: &str, found: &mut Vec<String>) {
    for arg in command.get_arguments().filter(|a| !a.is_hide_set()) {
        let described = arg
            .get_help()
            .or(arg.get_long_help())
            .is_some_and(|h| !h.to_string().trim().is_empty());
        if !described {
            let name = arg
                .get_long()
                .map_or_else(|| format!("<{}>", arg.get_id()), |long| format!("--{long}"));
            found.push(format!("{path} {name}"));
        }
    }
    for sub in command.get_subcommands().filter(|c| !c.is_hide_set()) {
        let path = format!("{path} {}", sub.get_name());
        let described = sub
            .get_about()
            .or(sub.get_long_about())
            .is_some_and(|h| !h.to_string().trim().is_empty());
        if !described {
            found.push(path.clone());
        }
        undescribed(sub, &path, found);
    }
}

#[test]
fn every_argument_and_subcommand_is_described() {
    let mut cli = Cli::command();
    // Building adds what clap generates (`--help`, `--version`, `help`) and propagates the
    // global arguments into each subcommand, as the binary sees them.
    cli.build();
    let mut found = Vec::new();
    undescribed(&cli, "steppe", &mut found);
    assert!(found.is_empty(), "without help text: {found:#?}");

    // The check itself finds what it should: an argument without a doc comment.
    let mut bare = clap::Command::new("bare")
        .about("A command.")
        .arg(clap::Arg::new("port").long("port"))
        .subcommand(clap::Command::new("run"));
    bare.build();
    let mut found = Vec::new();
    undescribed(&bare, "bare", &mut found);
    assert_eq!(found, ["bare --port", "bare run", "bare help run"]);
}
