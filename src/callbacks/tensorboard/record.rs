//! TFRecord framing, as TensorFlow's `io::RecordWriter` writes each event:
//!
//! ```text
//! u64 length (little-endian) · u32 masked_crc(length bytes) · data · u32 masked_crc(data)
//! masked_crc(b) = rotr₁₅(crc32c(b)) + 0xa282ead8   (mod 2³²)
//! ```
//!
//! CRC-32C is the Castagnoli polynomial (0x1EDC6F41, reflected 0x82F63B78); the mask
//! keeps a CRC of data that itself holds CRCs from being degenerate.

use std::io::{self, Write};

/// `rotr₁₅(crc32c(bytes)) + 0xa282ead8`, TensorFlow's `crc32c::Mask`.
pub(crate) fn masked_crc32c(bytes: &[u8]) -> u32 {
    crc32c::crc32c(bytes)
        .rotate_right(15)
        .wrapping_add(0xa282_ead8)
}

/// Writes `data` as one record: 8 + 4 + `data.len()` + 4 bytes.
pub(crate) fn write_record(out: &mut impl Write, data: &[u8]) -> io::Result<()> {
    let length = (data.len() as u64).to_le_bytes();
    out.write_all(&length)?;
    out.write_all(&masked_crc32c(&length).to_le_bytes())?;
    out.write_all(data)?;
    out.write_all(&masked_crc32c(data).to_le_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32c_is_castagnolis_and_the_mask_is_tensorflows() {
        // the CRC-32C check value
        assert_eq!(crc32c::crc32c(b"123456789"), 0xe306_9283);
        // a 24-byte record's length header, as event files written by TensorFlow start:
        // 18 00 00 00 00 00 00 00 a3 7f 4b 22
        assert_eq!(masked_crc32c(&24u64.to_le_bytes()), 0x224b_7fa3);
    }

    #[test]
    fn a_record_is_length_its_crc_data_and_the_data_crc() {
        let mut out = Vec::new();
        write_record(&mut out, b"abc").unwrap();
        assert_eq!(out.len(), 8 + 4 + 3 + 4);
        assert_eq!(&out[..8], &3u64.to_le_bytes());
        assert_eq!(&out[8..12], &masked_crc32c(&out[..8]).to_le_bytes());
        assert_eq!(&out[12..15], b"abc");
        assert_eq!(&out[15..], &masked_crc32c(b"abc").to_le_bytes());
    }
}
