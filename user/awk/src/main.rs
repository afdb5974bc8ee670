//! `awk`: the POSIX awk program (see `awk::cli`).
fn main() {
    // Like a C program, die quietly of SIGPIPE when a reader goes away (`awk ... | head`).
    let _ = ulib::jobctl::set_disposition(libc::SIGPIPE, ulib::jobctl::Disposition::Default);
    let args = std::env::args_os().skip(1).collect();
    // The interpreter recurses as the program does: it runs on a thread with the
    // stack its depth limit needs.
    let status = std::thread::Builder::new()
        .stack_size(awk::interp::STACK_SIZE)
        .spawn(move || awk::cli::main(args))
        .map_or(awk::cli::STATUS_TROUBLE, |thread| thread.join().unwrap_or(awk::cli::STATUS_TROUBLE));
    std::process::exit(status);
}
