//! `awk`: the POSIX awk program (see `awk::cli`).
fn main() {
    let status = awk::cli::main(std::env::args_os().skip(1).collect());
    std::process::exit(status);
}
