//! `awk`: the POSIX awk program (see `awk::cli`).
fn main() {
    // Like a C program, die quietly of SIGPIPE when a reader goes away (`awk ... | head`).
    let _ = ulib::jobctl::set_disposition(libc::SIGPIPE, ulib::jobctl::Disposition::Default);
    let status = awk::cli::main(std::env::args_os().skip(1).collect());
    std::process::exit(status);
}
