//! `twostep completions SHELL` and `twostep man`: a shell completion script and the manual
//! page, both generated from [`crate::args::command`], the definitions `--help` prints, so
//! the three never disagree.

use clap_complete::Shell;

use crate::error::CliError;
use crate::output;

pub fn completions(shell: Shell) -> Result<(), CliError> {
    let mut command = crate::args::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "twostep", &mut out);
    write(&out)
}

/// The page for `twostep` with a section per subcommand (clap_mangen renders one command; the
/// subcommands' pages are appended so one `man` call shows everything).
pub fn man() -> Result<(), CliError> {
    let command = crate::args::command();
    let mut out = Vec::new();
    let rendered = clap_mangen::Man::new(command.clone()).render(&mut out).and_then(|()| {
        for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
            let name = format!("twostep-{}", sub.get_name());
            clap_mangen::Man::new(sub.clone().name(name)).render(&mut out)?;
        }
        Ok(())
    });
    rendered
        .map_err(|e| CliError::Failed(format!("could not write the manual page: {}", crate::error::io_words(&e))))?;
    write(&out)
}

fn write(bytes: &[u8]) -> Result<(), CliError> {
    output::print(&String::from_utf8_lossy(bytes))
}
