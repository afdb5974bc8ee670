//! Time boot tests: the clocks, the vDSO and the vsyscall page (user/ktest's
//! ktest-time, run as init), and the kernel's account of its clock source. The
//! clock source and the measured cost of clock_gettime are printed (`cargo test
//! --test time -- --nocapture` shows them).
use kestrel::run_ktest;

#[test]
fn clocks_vdso_and_vsyscall_page_work_as_on_linux() {
    let log = run_ktest("time", "");
    let figures: Vec<&str> = log.lines().filter(|l| l.contains("clock: TSC ") || l.starts_with("cost: ")).collect();
    assert_eq!(figures.len(), 2, "no clock source or cost line\n{log}");
    figures.iter().for_each(|line| println!("{line}"));
}
