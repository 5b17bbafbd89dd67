//! Reading gzip-compressed IDX files, the format of MNIST and Fashion-MNIST.
//!
//! An IDX file is a big-endian header followed by raw bytes:
//!
//! | offset | field | images file | labels file |
//! |---|---|---|---|
//! | 0 | magic | `0x00000803` (u8, 3 dims) | `0x00000801` (u8, 1 dim) |
//! | 4 | n | number of images | number of labels |
//! | 8 | rows, cols | 28, 28 | — |
//! | 16 / 8 | data | n·rows·cols pixels, row-major | n labels |

use super::DataError;
use flate2::read::GzDecoder;
use ndarray::{Array1, Array3};
use std::io::{BufReader, Read};
use std::path::Path;

/// Magic number of an IDX file of unsigned bytes with 3 dimensions (images).
pub const IMAGES_MAGIC: u32 = 0x0000_0803;
/// Magic number of an IDX file of unsigned bytes with 1 dimension (labels).
pub const LABELS_MAGIC: u32 = 0x0000_0801;

/// The first two bytes of every gzip file.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Reads a gzip IDX images file into `[n, rows, cols]` pixels.
pub fn read_images(path: &Path) -> Result<Array3<u8>, DataError> {
    let bytes = std::fs::read(path).map_err(|e| DataError::io(path, e))?;
    parse_images(&bytes, path)
}

/// Reads a gzip IDX labels file into `[n]` labels.
pub fn read_labels(path: &Path) -> Result<Array1<u8>, DataError> {
    let bytes = std::fs::read(path).map_err(|e| DataError::io(path, e))?;
    parse_labels(&bytes, path)
}

/// Parses the bytes of a gzip IDX images file; `path` only names it in errors.
pub fn parse_images(gz: &[u8], path: &Path) -> Result<Array3<u8>, DataError> {
    let mut reader = gunzip(gz, path)?;
    // magic, n, rows, cols
    let header = read_header::<4>(&mut reader, path, IMAGES_MAGIC, "images")?;
    let [_, n, rows, cols] = header.map(|d| d as usize);
    let dims = format!("[{n}, {rows}, {cols}]");
    let len = n
        .checked_mul(rows)
        .and_then(|v| v.checked_mul(cols))
        .ok_or_else(|| DataError::Dimensions {
            file: path.to_path_buf(),
            expected: "a size that fits in memory".into(),
            found: dims.clone(),
        })?;
    let data = read_body(&mut reader, len, path)?;
    Array3::from_shape_vec((n, rows, cols), data).map_err(|e| DataError::Dimensions {
        file: path.to_path_buf(),
        expected: format!("{len} pixels ({e})"),
        found: dims,
    })
}

/// Parses the bytes of a gzip IDX labels file; `path` only names it in errors.
pub fn parse_labels(gz: &[u8], path: &Path) -> Result<Array1<u8>, DataError> {
    let mut reader = gunzip(gz, path)?;
    let header = read_header::<2>(&mut reader, path, LABELS_MAGIC, "labels")?; // magic, n
    let data = read_body(&mut reader, header[1] as usize, path)?;
    Ok(Array1::from_vec(data))
}

/// A decompressing reader over gzip bytes in memory.
type Gunzip<'a> = GzDecoder<BufReader<&'a [u8]>>;

/// Checks the gzip signature and returns a decompressing reader.
fn gunzip<'a>(gz: &'a [u8], path: &Path) -> Result<Gunzip<'a>, DataError> {
    if !gz.starts_with(&GZIP_MAGIC) {
        return Err(DataError::Gzip {
            file: path.to_path_buf(),
            reason: "it does not start with the gzip signature 1f 8b".into(),
        });
    }
    Ok(GzDecoder::new(BufReader::new(gz)))
}

/// Reads `N` big-endian u32 header fields, the first being the magic number.
///
/// The magic number is checked before the length, so a labels file passed as images
/// reports the wrong kind rather than a short header.
fn read_header<const N: usize>(
    r: &mut impl Read,
    path: &Path,
    magic: u32,
    kind: &'static str,
) -> Result<[u32; N], DataError> {
    let mut buf = vec![0u8; 4 * N];
    let got = read_up_to(r, &mut buf, path)?;
    let mut fields = [0u32; N];
    for (field, bytes) in fields.iter_mut().zip(buf.chunks_exact(4)) {
        *field = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    }
    if got >= 4 && fields[0] != magic {
        return Err(DataError::Magic {
            file: path.to_path_buf(),
            kind,
            expected: magic,
            found: fields[0],
        });
    }
    if got < buf.len() {
        return Err(DataError::Truncated {
            file: path.to_path_buf(),
            expected: buf.len() as u64,
            found: got as u64,
        });
    }
    Ok(fields)
}

/// Reads exactly `len` data bytes and checks that nothing follows them.
///
/// The buffer grows as data arrives, so a corrupt header that announces terabytes fails
/// as a truncated file instead of exhausting memory.
fn read_body(r: &mut impl Read, len: usize, path: &Path) -> Result<Vec<u8>, DataError> {
    let mut data = Vec::with_capacity(len.min(64 << 20));
    let limit = (len as u64).saturating_add(1); // one extra byte reveals trailing data
    r.take(limit)
        .read_to_end(&mut data)
        .map_err(|e| gzip_error(e, path))?;
    if data.len() != len {
        return Err(DataError::Truncated {
            file: path.to_path_buf(),
            expected: len as u64,
            found: data.len() as u64,
        });
    }
    Ok(data)
}

/// Fills `buf` as far as the stream allows and returns the number of bytes read.
fn read_up_to(r: &mut impl Read, buf: &mut [u8], path: &Path) -> Result<usize, DataError> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(k) => got += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(gzip_error(e, path)),
        }
    }
    Ok(got)
}

/// Reading from an in-memory buffer only fails when decompression fails.
fn gzip_error(e: std::io::Error, path: &Path) -> DataError {
    DataError::Gzip {
        file: path.to_path_buf(),
        reason: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;

    /// Gzips an IDX file made of the given header fields and data bytes.
    fn idx_gz(header: &[u32], data: &[u8]) -> Vec<u8> {
        let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
        for field in header {
            enc.write_all(&field.to_be_bytes()).unwrap();
        }
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    fn path() -> &'static Path {
        Path::new("test-idx.gz")
    }

    #[test]
    fn two_images_of_two_by_three_pixels_parse_in_row_major_order() {
        let gz = idx_gz(
            &[IMAGES_MAGIC, 2, 2, 3],
            &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255],
        );
        let x = parse_images(&gz, path()).unwrap();
        assert_eq!(x.shape(), &[2, 2, 3]);
        assert_eq!(x[[0, 1, 2]], 5); // image 0, row 1, col 2 = 0·6 + 1·3 + 2
        assert_eq!(x[[1, 1, 2]], 255);
    }

    #[test]
    fn labels_parse_in_file_order() {
        let gz = idx_gz(&[LABELS_MAGIC, 4], &[9, 0, 3, 7]);
        let y = parse_labels(&gz, path()).unwrap();
        assert_eq!(y.to_vec(), vec![9, 0, 3, 7]);
    }

    #[test]
    fn a_labels_file_read_as_images_reports_both_magic_numbers() {
        let gz = idx_gz(&[LABELS_MAGIC, 4], &[9, 0, 3, 7]);
        let err = parse_images(&gz, path()).unwrap_err();
        assert!(matches!(
            err,
            DataError::Magic {
                expected: 0x803,
                found: 0x801,
                ..
            }
        ));
        let msg = err.to_string();
        assert!(
            msg.contains("0x00000803") && msg.contains("0x00000801"),
            "{msg}"
        );
        assert!(msg.contains("test-idx.gz"), "{msg}");
    }

    #[test]
    fn missing_pixels_are_reported_as_truncated_with_both_lengths() {
        let gz = idx_gz(&[IMAGES_MAGIC, 2, 2, 3], &[1; 10]); // 12 announced, 10 present
        let err = parse_images(&gz, path()).unwrap_err();
        assert!(
            matches!(
                err,
                DataError::Truncated {
                    expected: 12,
                    found: 10,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn trailing_bytes_after_the_data_are_an_error() {
        let gz = idx_gz(&[LABELS_MAGIC, 2], &[1, 2, 3]);
        let err = parse_labels(&gz, path()).unwrap_err();
        assert!(
            matches!(
                err,
                DataError::Truncated {
                    expected: 2,
                    found: 3,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn a_header_announcing_huge_images_fails_without_allocating_them() {
        let gz = idx_gz(&[IMAGES_MAGIC, u32::MAX, 60_000, 60_000], &[0; 8]);
        let err = parse_images(&gz, path()).unwrap_err();
        assert!(
            matches!(err, DataError::Truncated { found: 8, .. }),
            "{err}"
        );
    }

    #[test]
    fn a_short_header_is_truncated() {
        let gz = idx_gz(&[IMAGES_MAGIC], &[0, 0]);
        let err = parse_images(&gz, path()).unwrap_err();
        assert!(
            matches!(
                err,
                DataError::Truncated {
                    expected: 16,
                    found: 6,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn plain_bytes_are_not_gzip() {
        let err = parse_labels(b"\x00\x00\x08\x01\x00\x00\x00\x00", path()).unwrap_err();
        assert!(matches!(err, DataError::Gzip { .. }), "{err}");
        assert!(err.to_string().contains("gzip signature"), "{err}");
    }

    #[test]
    fn a_cut_gzip_stream_is_a_gzip_error() {
        let gz = idx_gz(&[LABELS_MAGIC, 1000], &[3; 1000]);
        let err = parse_labels(&gz[..gz.len() / 2], path()).unwrap_err();
        assert!(matches!(err, DataError::Gzip { .. }), "{err}");
    }
}
