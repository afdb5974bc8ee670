//! `make usb` (scripts/usb.sh) writes the ISO only to a whole, removable,
//! unmounted disk, and only after `yes`. The disks are loop devices over
//! temporary files; a fake system root (KESTREL_SYSROOT) says which is
//! removable, a partition or mounted, so the script's checks run on real block
//! devices without real USB sticks.
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A loop device over a temporary file of `bytes` zeros, detached on drop.
struct Loop {
    device: PathBuf,
    backing: tempfile::NamedTempFile,
}

impl Loop {
    fn new(bytes: u64) -> Self {
        let backing = tempfile::NamedTempFile::new().expect("temporary file");
        backing.as_file().set_len(bytes).expect("size the backing file");
        let out = Command::new("losetup").args(["-f", "--show"]).arg(backing.path()).output().expect("losetup");
        assert!(out.status.success(), "losetup (these tests need root): {}", String::from_utf8_lossy(&out.stderr));
        let device = PathBuf::from(String::from_utf8(out.stdout).expect("device name").trim());
        Self { device, backing }
    }

    fn path(&self) -> &str {
        self.device.to_str().expect("a device path")
    }

    /// Whether nothing was written to it.
    fn untouched(&self) -> bool {
        fs::read(self.backing.path()).expect("read back").iter().all(|&b| b == 0)
    }

    fn name(&self) -> String {
        self.device.file_name().and_then(|n| n.to_str()).expect("loopN").to_string()
    }
}

impl Drop for Loop {
    fn drop(&mut self) {
        let _ = Command::new("losetup").arg("-d").arg(&self.device).status();
    }
}

/// A fake system root: sys/class/block/NAME for `disk` (removable or not, a
/// partition or not, its size and model) and proc/mounts listing `mounted`.
fn sysroot(disk: &Loop, removable: bool, partition: bool, mounted: &str) -> tempfile::TempDir {
    let root = tempfile::tempdir().expect("temporary directory");
    let block = root.path().join("sys/class/block").join(disk.name());
    fs::create_dir_all(block.join("device")).expect("fake sysfs");
    let sectors = disk.backing.as_file().metadata().expect("size").len() / 512;
    fs::write(block.join("removable"), if removable { "1\n" } else { "0\n" }).expect("removable");
    fs::write(block.join("size"), format!("{sectors}\n")).expect("size");
    fs::write(block.join("device/vendor"), "Kestrel \n").expect("vendor");
    fs::write(block.join("device/model"), "Test Stick      \n").expect("model");
    if partition {
        fs::write(block.join("partition"), "1\n").expect("partition");
    }
    // Its first partition, as sysfs lists it under the disk.
    let first = block.join(format!("{}p1", disk.name()));
    fs::create_dir_all(&first).expect("fake partition");
    fs::write(first.join("partition"), "1\n").expect("partition");
    fs::create_dir_all(root.path().join("proc")).expect("fake proc");
    fs::write(root.path().join("proc/mounts"), mounted).expect("mounts");
    root
}

/// scripts/usb.sh with `args`, `answer` on its standard input, the fake root if given.
fn usb(args: &[&str], root: Option<&Path>, answer: &str) -> Output {
    let mut cmd = Command::new("scripts/usb.sh");
    cmd.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    if let Some(root) = root {
        cmd.env("KESTREL_SYSROOT", root);
    }
    let mut child = cmd.spawn().expect("scripts/usb.sh");
    let _ = child.stdin.take().expect("stdin").write_all(answer.as_bytes());
    child.wait_with_output().expect("scripts/usb.sh output")
}

fn refused(out: &Output, why: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "not refused: {stderr}");
    assert!(stderr.contains(why), "{why:?} not in {stderr:?}");
}

/// A 1 MiB image of varied bytes.
fn image() -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().expect("temporary file");
    let bytes: Vec<u8> = (0..1u32 << 20).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    file.write_all(&bytes).expect("write the image");
    file
}

#[test]
fn without_a_device_make_usb_prints_its_usage() {
    for args in [&["usb"][..], &["usb", "DEV="]] {
        let out = Command::new("make").args(args).output().expect("make");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("usage: make usb DEV=/dev/sdX"), "{out:?}");
    }
}

#[test]
fn what_is_not_a_block_device_is_refused_before_the_build() {
    let out = Command::new("make").args(["usb", "DEV=/nonexistent/sdz"]).output().expect("make");
    refused_by_make(&out, "/nonexistent/sdz: no such device");
    let out = Command::new("make").args(["usb", "DEV=/dev/null"]).output().expect("make");
    refused_by_make(&out, "/dev/null: not a block device");
    let file = image();
    let path = file.path().to_str().expect("path");
    refused(&usb(&[path, path], None, "yes\n"), "not a block device");
}

/// make stops with status 2 when the script fails; its reason is the script's.
fn refused_by_make(out: &Output, why: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(why), "{why:?} not in {stderr:?}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("iso.sh"), "the ISO was built first");
}

#[test]
fn a_fixed_disk_a_partition_or_a_mounted_disk_is_refused() {
    let (disk, file) = (Loop::new(2 << 20), image());
    let (dev, iso) = (disk.path(), file.path().to_str().expect("path"));
    // The kernel's own sysfs calls loop devices not removable.
    refused(&usb(&[dev, iso], None, "yes\n"), "not a removable disk");
    let fixed = sysroot(&disk, false, false, "");
    refused(&usb(&[dev, iso], Some(fixed.path()), "yes\n"), "not a removable disk");
    let partition = sysroot(&disk, true, true, "");
    refused(&usb(&[dev, iso], Some(partition.path()), "yes\n"), "is a partition");
    let name = disk.name();
    for mount in [format!("/dev/{name} /mnt vfat rw 0 0\n"), format!("/dev/{name}p1 /media/stick vfat rw 0 0\n")] {
        let mounted = sysroot(&disk, true, false, &format!("proc /proc proc rw 0 0\n{mount}"));
        refused(&usb(&[dev, iso], Some(mounted.path()), "yes\n"), "mounted");
    }
    // Another disk whose name starts the same is not this one.
    let other = sysroot(&disk, true, false, &format!("/dev/{name}0 /mnt ext4 rw 0 0\n/dev/{name}p10 /a ext4 rw 0 0\n"));
    assert!(usb(&["--check", dev], Some(other.path()), "").status.success());
    assert!(disk.untouched(), "something was written");
}

#[test]
fn the_image_is_written_only_after_yes() {
    let (disk, file) = (Loop::new(2 << 20), image());
    let (dev, iso) = (disk.path(), file.path().to_str().expect("path"));
    let root = sysroot(&disk, true, false, "proc /proc proc rw 0 0\n");
    for answer in ["no\n", "y\n", "YES\n", ""] {
        let out = usb(&[dev, iso], Some(root.path()), answer);
        refused(&out, "not written");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("Kestrel Test Stick, 2 MB (2097152 bytes)"), "{stdout}");
        assert!(disk.untouched(), "written after {answer:?}");
    }
    let out = usb(&[dev, iso], Some(root.path()), "yes\n");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let written = fs::read(disk.backing.path()).expect("read back");
    let wanted = fs::read(file.path()).expect("the image");
    assert!(written[..wanted.len()] == wanted[..], "the disk does not start with the image");
    assert!(written[wanted.len()..].iter().all(|&b| b == 0), "written past the image");
}

#[test]
fn a_disk_smaller_than_the_image_is_refused() {
    let (disk, file) = (Loop::new(512 << 10), image());
    let root = sysroot(&disk, true, false, "");
    refused(&usb(&[disk.path(), file.path().to_str().expect("path")], Some(root.path()), "yes\n"), "too small");
    assert!(disk.untouched(), "something was written");
}
