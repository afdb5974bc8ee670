//! Sizes for people, as GNU's `-h` prints them (powers of 1024, rounded up).

/// A size as `ls -h`, `df -h` and `du -h` show it: plain below 1024, else with one decimal below 10 and
/// none above, always rounded up (1.5K, 12K, 4.0M).
pub fn human_size(size: u64) -> String {
    const UNITS: [char; 6] = ['K', 'M', 'G', 'T', 'P', 'E'];
    if size < 1024 {
        return size.to_string();
    }
    let mut value = size as f64;
    for unit in UNITS {
        value /= 1024.0;
        let tenths = (value * 10.0).ceil();
        if tenths < 100.0 {
            return format!("{:.1}{unit}", tenths / 10.0);
        }
        if value.ceil() < 1024.0 {
            return format!("{}{unit}", value.ceil());
        }
    }
    format!("{}E", value.ceil())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_sizes() {
        assert_eq!(human_size(0), "0");
        assert_eq!(human_size(1023), "1023");
        assert_eq!(human_size(1024), "1.0K");
        assert_eq!(human_size(1229), "1.3K");
        assert_eq!(human_size(1230), "1.3K");
        assert_eq!(human_size(4096), "4.0K");
        assert_eq!(human_size(10 * 1024), "10K");
        assert_eq!(human_size(10 * 1024 + 1), "11K");
        assert_eq!(human_size(19 * 1024 + 100), "20K");
        assert_eq!(human_size(1024 * 1024 - 1), "1.0M");
        assert_eq!(human_size(3 << 30), "3.0G");
    }
}
