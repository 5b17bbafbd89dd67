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
//!
//! The whole file is gzip: one member, or several concatenated (as `gzip -d` reads
//! them). Memory is bounded by what the header announces, and the announcement by what
//! the compressed bytes can hold: deflate inflates at most 1032 bytes per input byte,
//! so a header announcing more than `1032 · file size` bytes is corrupt and fails before
//! anything is inflated. After the announced bytes the stream must end: more data, or
//! bytes after the last member that are not a gzip member, are errors.

use super::DataError;
use flate2::bufread::MultiGzDecoder;
use ndarray::{Array1, Array3};
use std::io::Read;
use std::path::Path;

/// Magic number of an IDX file of unsigned bytes with 3 dimensions (images).
pub const IMAGES_MAGIC: u32 = 0x0000_0803;
/// Magic number of an IDX file of unsigned bytes with 1 dimension (labels).
pub const LABELS_MAGIC: u32 = 0x0000_0801;

/// The most bytes deflate can inflate from one compressed byte (zlib's documented limit:
/// a 258-byte match coded in 2 bits).
pub const MAX_DEFLATE_RATIO: u64 = 1032;

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
    parse_images_checked(gz, path, |_| Ok(()))
}

/// [`parse_images`], with `check` run on the header's `[n, rows, cols]` before any pixel
/// is inflated: a caller that knows the shape it needs rejects a wrong file at once.
pub fn parse_images_checked(
    gz: &[u8],
    path: &Path,
    check: impl FnOnce([usize; 3]) -> Result<(), DataError>,
) -> Result<Array3<u8>, DataError> {
    let mut reader = gunzip(gz, path)?;
    // magic, n, rows, cols
    let header = read_header::<4>(&mut reader, path, IMAGES_MAGIC, "images")?;
    let [_, n, rows, cols] = header.map(|d| d as usize);
    check([n, rows, cols])?;
    let dims = format!("[{n}, {rows}, {cols}]");
    let len = n
        .checked_mul(rows)
        .and_then(|v| v.checked_mul(cols))
        .ok_or_else(|| DataError::Dimensions {
            file: path.to_path_buf(),
            expected: "a size that fits in memory".into(),
            found: dims.clone(),
        })?;
    let data = read_body(&mut reader, len, gz.len(), path)?;
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
    let data = read_body(&mut reader, header[1] as usize, gz.len(), path)?;
    Ok(Array1::from_vec(data))
}

/// A decompressing reader over every gzip member of bytes in memory.
type Gunzip<'a> = MultiGzDecoder<&'a [u8]>;

/// Checks the gzip signature and returns a decompressing reader.
fn gunzip<'a>(gz: &'a [u8], path: &Path) -> Result<Gunzip<'a>, DataError> {
    if !gz.starts_with(&GZIP_MAGIC) {
        return Err(DataError::Gzip {
            file: path.to_path_buf(),
            reason: "it does not start with the gzip signature 1f 8b".into(),
        });
    }
    Ok(MultiGzDecoder::new(gz))
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

/// Reads exactly `len` data bytes, then checks that the stream ends there.
///
/// `compressed` is the size of the gzip file: a header announcing more than
/// [`MAX_DEFLATE_RATIO`] times it is corrupt, and fails before anything is allocated.
/// The buffer is reserved once (an allocation failure is an error, not an abort) and
/// inflation stops at `len` bytes, so memory never exceeds what the header announces.
fn read_body(
    r: &mut impl Read,
    len: usize,
    compressed: usize,
    path: &Path,
) -> Result<Vec<u8>, DataError> {
    let limit = (compressed as u64).saturating_mul(MAX_DEFLATE_RATIO);
    if len as u64 > limit {
        return Err(DataError::Announced {
            file: path.to_path_buf(),
            announced: len as u64,
            compressed: compressed as u64,
            limit,
        });
    }
    let mut data = Vec::new();
    data.try_reserve_exact(len).map_err(|e| DataError::Memory {
        file: path.to_path_buf(),
        bytes: len as u64,
        reason: e.to_string(),
    })?;
    r.take(len as u64)
        .read_to_end(&mut data)
        .map_err(|e| gzip_error(e, path))?;
    if data.len() != len {
        return Err(DataError::Truncated {
            file: path.to_path_buf(),
            expected: len as u64,
            found: data.len() as u64,
        });
    }
    expect_end(r, len, path)?;
    Ok(data)
}

/// Reads on to the end of the gzip stream (checking each member's CRC and length) and
/// fails if it yields one more byte, or if what follows the last member is not gzip.
fn expect_end(r: &mut impl Read, len: usize, path: &Path) -> Result<(), DataError> {
    let mut probe = [0u8; 1];
    loop {
        match r.read(&mut probe) {
            Ok(0) => return Ok(()),
            Ok(_) => {
                return Err(DataError::TrailingData {
                    file: path.to_path_buf(),
                    expected: len as u64,
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Err(DataError::Gzip {
                    file: path.to_path_buf(),
                    reason: format!(
                        "after the {len} bytes of data the header announces, the rest of \
                         the file is not a valid gzip member: {e}"
                    ),
                })
            }
        }
    }
}

/// Fills `buf` as far as the stream allows and returns the number of bytes read.
fn read_up_to(
    r: &mut impl Read,
    buf: &mut [u8],
    path: &Path,
) -> Result<usize, DataError> {
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

/// The body of the `idx` fuzz target (`fuzz/fuzz_targets/idx.rs`), also run on the
/// committed corpus by `tests/fuzz_corpus.rs`: `data` parsed as an images and as a labels
/// file, first as given (gzip), then gzipped (raw IDX bytes); whatever parses becomes a
/// [`FashionMnist`](super::FashionMnist) that is split both ways. Returns how many
/// steps succeeded.
///
/// # Panics
/// On purpose, when the library breaks its contract: an error whose message does not
/// name the file, a parsed array that disagrees with its header, or a split whose sizes
/// are wrong. A panic inside the library is a crash for the fuzzer either way.
#[doc(hidden)]
pub fn fuzz_target(data: &[u8]) -> usize {
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;

    let name = Path::new("fuzz-input.gz");
    let clear = |e: &DataError| {
        let msg = e.to_string();
        assert!(
            msg.contains("fuzz-input.gz"),
            "an error without the file: {msg}"
        );
    };
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    let gzipped = enc
        .write_all(data)
        .and_then(|()| enc.finish())
        .expect("gzip into memory");
    let mut ok = 0;
    for bytes in [data, &gzipped] {
        match parse_images(bytes, name) {
            Ok(x) => {
                ok += 1;
                ok += fuzz_fashion_mnist(x, None);
            }
            Err(e) => clear(&e),
        }
        match parse_labels(bytes, name) {
            Ok(y) => {
                ok += 1;
                // Blank images for small label sets (a big one would only cost time).
                if y.len() <= 64 {
                    let x = Array3::zeros((y.len(), 28, 28));
                    ok += fuzz_fashion_mnist(x, Some(y));
                }
            }
            Err(e) => clear(&e),
        }
    }
    ok
}

/// A [`FashionMnist`](super::FashionMnist) from `x` and `y` (by default the first pixel
/// of each image, which is a label only when it is below 10), then both splits.
fn fuzz_fashion_mnist(x: Array3<u8>, y: Option<Array1<u8>>) -> usize {
    use super::{hg_split, homl_split, FashionMnist};
    let (n, rows, cols) = x.dim();
    if (rows, cols) != (28, 28) {
        // Refused whatever the labels; a header may announce billions of empty images,
        // so no label array of their count is made.
        let none = Array1::zeros(0);
        let made = FashionMnist::new(x.clone(), none.clone(), x, none);
        assert!(made.is_err(), "[{n}, {rows}, {cols}] images were accepted");
        return 0;
    }
    let y = y.unwrap_or_else(|| x.slice(ndarray::s![.., 0, 0]).to_owned());
    // One label short must always fail.
    if n > 0 {
        let short = y.slice(ndarray::s![..n - 1]).to_owned();
        let made = FashionMnist::new(x.clone(), short, x.clone(), y.clone());
        assert!(
            made.is_err(),
            "{n} images with {} labels were accepted",
            n - 1
        );
    }
    let Ok(data) = FashionMnist::new(x.clone(), y.clone(), x, y) else {
        return 0;
    };
    let hg = hg_split(&data);
    let n_val = (n as f64 * 0.2).ceil() as usize;
    assert_eq!(
        (hg.val.len(), hg.train.len(), hg.test.len()),
        (n_val, n - n_val, n)
    );
    let homl = homl_split(&data);
    assert_eq!(homl.val.len() + homl.train.len(), n);
    1
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;

    /// IDX bytes made of the given header fields and data bytes (not compressed).
    fn idx(header: &[u32], data: &[u8]) -> Vec<u8> {
        let mut bytes: Vec<u8> = header.iter().flat_map(|f| f.to_be_bytes()).collect();
        bytes.extend_from_slice(data);
        bytes
    }

    /// One gzip member holding `bytes`.
    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    }

    /// Gzips an IDX file made of the given header fields and data bytes.
    fn idx_gz(header: &[u32], data: &[u8]) -> Vec<u8> {
        gzip(&idx(header, data))
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
    fn bytes_after_the_announced_data_are_trailing_data() {
        let gz = idx_gz(&[LABELS_MAGIC, 2], &[1, 2, 3]);
        let err = parse_labels(&gz, path()).unwrap_err();
        assert!(
            matches!(err, DataError::TrailingData { expected: 2, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("past the 2 bytes"), "{err}");
    }

    #[test]
    fn a_header_announcing_more_than_the_file_can_inflate_to_fails_before_inflating() {
        // 16 MiB of zeros gzip to about 16 KiB; the header announces u32::MAX images of
        // 28×28 = 3.4 TB. Before, all 16 MiB were inflated to find the file truncated.
        let gz = idx_gz(&[IMAGES_MAGIC, u32::MAX, 28, 28], &vec![0; 16 << 20]);
        let err = parse_images(&gz, path()).unwrap_err();
        let limit = 1032 * gz.len() as u64;
        match err {
            DataError::Announced {
                announced,
                compressed,
                limit: l,
                ..
            } => {
                assert_eq!(announced, u32::MAX as u64 * 784);
                assert_eq!((compressed, l), (gz.len() as u64, limit));
            }
            other => panic!("expected Announced, got {other}"),
        }
    }

    #[test]
    fn a_header_announcing_huge_images_fails_without_allocating_them() {
        let gz = idx_gz(&[IMAGES_MAGIC, u32::MAX, 60_000, 60_000], &[0; 8]);
        let err = parse_images(&gz, path()).unwrap_err();
        assert!(matches!(err, DataError::Announced { .. }), "{err}");
        assert!(err.to_string().contains("1032 to 1"), "{err}");
    }

    #[test]
    fn a_header_check_rejects_the_file_before_its_pixels_are_read() {
        let gz = idx_gz(&[IMAGES_MAGIC, 2, 2, 3], &[1; 5]); // truncated, but checked first
        let err = parse_images_checked(&gz, path(), |dims| {
            Err(DataError::Dimensions {
                file: path().to_path_buf(),
                expected: "[n, 28, 28]".into(),
                found: format!("{dims:?}"),
            })
        })
        .unwrap_err();
        assert!(err.to_string().contains("[2, 2, 3]"), "{err}");
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

    #[test]
    fn a_wrong_crc_in_the_gzip_trailer_is_a_gzip_error() {
        let mut gz = idx_gz(&[LABELS_MAGIC, 3], &[1, 2, 3]);
        let crc = gz.len() - 8; // trailer: CRC-32, then the length, little-endian
        gz[crc] ^= 0x01;
        let err = parse_labels(&gz, path()).unwrap_err();
        assert!(matches!(err, DataError::Gzip { .. }), "{err}");
    }

    #[test]
    fn a_file_of_several_gzip_members_parses_as_their_concatenation() {
        // `cat a.gz b.gz > c.gz` is a valid gzip file: `gzip -d` reads both members.
        let bytes = idx(
            &[IMAGES_MAGIC, 2, 2, 3],
            &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
        );
        for cut in [3, 16, 20] {
            let mut gz = gzip(&bytes[..cut]);
            gz.extend(gzip(&bytes[cut..]));
            let x =
                parse_images(&gz, path()).unwrap_or_else(|e| panic!("cut {cut}: {e}"));
            assert_eq!(
                x.iter().copied().collect::<Vec<u8>>(),
                (0..12).collect::<Vec<u8>>()
            );
        }
        let mut gz = gzip(&idx(&[LABELS_MAGIC, 2], &[4]));
        gz.extend(gzip(&[]));
        gz.extend(gzip(&[5]));
        assert_eq!(parse_labels(&gz, path()).unwrap().to_vec(), [4, 5]);
    }

    #[test]
    fn junk_after_the_last_gzip_member_is_an_error() {
        let good = idx_gz(&[LABELS_MAGIC, 2], &[4, 5]);
        for junk in [&b"junk"[..], &[0; 4], &[0x1f], &[0x1f, 0x8b, 8]] {
            let mut gz = good.clone();
            gz.extend_from_slice(junk);
            let err = parse_labels(&gz, path()).unwrap_err();
            assert!(matches!(err, DataError::Gzip { .. }), "{junk:?}: {err}");
            assert!(err.to_string().contains("not a valid gzip member"), "{err}");
        }
    }

    #[test]
    fn a_second_member_with_more_data_is_trailing_data() {
        let mut gz = idx_gz(&[LABELS_MAGIC, 2], &[4, 5]);
        gz.extend(gzip(&[6]));
        let err = parse_labels(&gz, path()).unwrap_err();
        assert!(
            matches!(err, DataError::TrailingData { expected: 2, .. }),
            "{err}"
        );
    }

    #[test]
    fn the_fuzz_target_survives_13_million_images_of_0_rows() {
        // Found by fuzzing (fuzz/corpus/idx/found-13-million-images-of-0-rows.idx): the
        // target took a label from pixel [i, 0, 0] of images that have no pixels.
        let raw = idx(&[IMAGES_MAGIC, 0x00cc_0000, 0, 0x005b_cc04], &[]);
        assert_eq!(
            parse_images(&gzip(&raw), path()).unwrap().dim(),
            (13_369_344, 0, 6_016_004)
        );
        assert_eq!(fuzz_target(&raw), 1); // the gzipped copy parses as images
    }

    #[test]
    fn the_fuzz_target_parses_a_valid_file_both_ways() {
        let images: Vec<u8> = (0..2 * 784).map(|i| (i % 7) as u8).collect();
        let raw = idx(&[IMAGES_MAGIC, 2, 28, 28], &images);
        // raw: the gzipped copy parses as images (1) and makes a FashionMnist (1)
        assert_eq!(fuzz_target(&raw), 2);
        assert_eq!(fuzz_target(&gzip(&raw)), 2);
        assert_eq!(fuzz_target(&idx(&[LABELS_MAGIC, 3], &[1, 2, 3])), 2);
    }
}
