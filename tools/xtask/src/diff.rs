//! A short line diff for drift reports.

/// Lines removed (`-`, from `old`) and added (`+`, from `new`), in order, from a longest common
/// subsequence of lines; at most `limit` lines are listed, then a count of the rest.
pub fn summary(old: &str, new: &str, limit: usize) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // lcs[i][j] = length of the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut lines = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] > lcs[i + 1][j]) {
            lines.push(format!("  + {:>4} | {}", j + 1, b[j]));
            j += 1;
        } else {
            lines.push(format!("  - {:>4} | {}", i + 1, a[i]));
            i += 1;
        }
    }
    let hidden = lines.len().saturating_sub(limit);
    lines.truncate(limit);
    if hidden > 0 {
        lines.push(format!("  ... and {hidden} more changed lines"));
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_removed_and_added_lines() {
        let old = "a\nb\nc\nd\n";
        let new = "a\nc\nx\nd\n";
        assert_eq!(summary(old, new, 10), "  -    2 | b\n  +    3 | x");
    }

    #[test]
    fn identical_texts_have_no_lines() {
        assert_eq!(summary("a\nb", "a\nb", 10), "");
    }

    #[test]
    fn truncates_long_diffs() {
        let new: String = (0..10).map(|i| format!("{i}\n")).collect();
        let out = summary("", &new, 3);
        assert_eq!(out.lines().count(), 4);
        assert!(out.ends_with("and 7 more changed lines"));
    }
}
