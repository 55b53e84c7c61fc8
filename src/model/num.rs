//! Whole numbers written as decimal text, by one small function rather than
//! the standard library's formatter, which every integer type would bring
//! with its padding and alignment.

/// A whole number written as decimal text.
pub trait Digits {
    /// `self` in decimal, e.g. `-12`.
    fn digits(self) -> String;
}

/// `n` in decimal, after a minus sign if `negative`.
fn write(mut n: u64, negative: bool) -> String {
    let mut buf = [0u8; 21];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if negative {
        at -= 1;
        buf[at] = b'-';
    }
    buf[at..].iter().map(|&b| char::from(b)).collect()
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl Digits for $t {
            fn digits(self) -> String {
                write(self as u64, false)
            }
        }
    )*};
}
unsigned!(u8, u16, u32, u64, usize);

impl Digits for i64 {
    fn digits(self) -> String {
        write(self.unsigned_abs(), self < 0)
    }
}

impl Digits for i32 {
    fn digits(self) -> String {
        i64::from(self).digits()
    }
}

#[cfg(test)]
mod tests {
    use super::Digits;

    #[test]
    fn writes_as_the_standard_library_does() {
        for n in [0_i64, 1, 9, 10, 99, 100, 12_345, -1, -10, -987_654_321, i64::MAX, i64::MIN] {
            assert_eq!(n.digits(), n.to_string());
        }
        for n in [0_u64, 7, 10, 1_000_000, u64::MAX] {
            assert_eq!(n.digits(), n.to_string());
        }
        assert_eq!(65_535_u16.digits(), "65535");
        assert_eq!(usize::MAX.digits(), usize::MAX.to_string());
    }
}
