//! A reader of TensorBoard event files written here from the formats' definitions alone
//! (its own bitwise CRC-32C, its own protobuf wire decoder), so that neither the `crc32c`
//! nor the `prost` crate checks its own output. Shared by `tests/tensorboard.rs` and
//! `tests/ch12_regression_callbacks.rs`, each including it with
//! `#[path = "common/tfevents.rs"] mod tfevents;`.

use std::fs;
use std::path::{Path, PathBuf};

/// CRC-32C bit by bit: reflected Castagnoli polynomial 0x82F63B78, initial and final
/// value all ones.
pub fn crc32c(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0x82f6_3b78
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// TFRecord's mask: rotr₁₅(crc) + 0xa282ead8.
pub fn masked_crc(bytes: &[u8]) -> u32 {
    let crc = crc32c(bytes);
    crc.rotate_right(15).wrapping_add(0xa282_ead8)
}

/// The data of every record (u64 length LE · masked CRC of the length · data · masked
/// CRC of the data), or which record is broken and how.
pub fn records(bytes: &[u8]) -> Result<Vec<&[u8]>, String> {
    let mut rest = bytes;
    let mut out = Vec::new();
    while !rest.is_empty() {
        let n = out.len();
        if rest.len() < 12 {
            return Err(format!("record {n}: truncated header"));
        }
        let (length, tail) = rest.split_at(8);
        if masked_crc(length) != u32::from_le_bytes(tail[..4].try_into().unwrap()) {
            return Err(format!("record {n}: length CRC mismatch"));
        }
        let len = u64::from_le_bytes(length.try_into().unwrap()) as usize;
        let tail = &tail[4..];
        if tail.len() < len + 4 {
            return Err(format!("record {n}: truncated data"));
        }
        let (data, tail) = tail.split_at(len);
        if masked_crc(data) != u32::from_le_bytes(tail[..4].try_into().unwrap()) {
            return Err(format!("record {n}: data CRC mismatch"));
        }
        out.push(data);
        rest = &tail[4..];
    }
    Ok(out)
}

/// A protobuf field's payload by wire type.
pub enum Wire<'a> {
    Varint(u64),
    Fixed64(u64),
    Bytes(&'a [u8]),
    Fixed32(u32),
}

pub fn varint(b: &mut &[u8]) -> u64 {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = b[0];
        *b = &b[1..];
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            break;
        }
    }
    value
}

/// `(field number, payload)` of a message, in order.
pub fn fields(mut b: &[u8]) -> Vec<(u64, Wire<'_>)> {
    let mut out = Vec::new();
    while !b.is_empty() {
        let key = varint(&mut b);
        let wire = match key & 7 {
            0 => Wire::Varint(varint(&mut b)),
            1 => {
                let (v, rest) = b.split_at(8);
                b = rest;
                Wire::Fixed64(u64::from_le_bytes(v.try_into().unwrap()))
            }
            2 => {
                let len = varint(&mut b) as usize;
                let (v, rest) = b.split_at(len);
                b = rest;
                Wire::Bytes(v)
            }
            5 => {
                let (v, rest) = b.split_at(4);
                b = rest;
                Wire::Fixed32(u32::from_le_bytes(v.try_into().unwrap()))
            }
            other => panic!("wire type {other} is not used by Event"),
        };
        out.push((key >> 3, wire));
    }
    out
}

/// What a reader needs of an `Event`: wall_time (1), step (2), file_version (3) and the
/// summary (5) values' tag (1) and simple_value (2).
#[derive(Debug, Default)]
pub struct Event {
    pub wall_time: f64,
    pub step: i64,
    pub file_version: Option<String>,
    pub scalars: Vec<(String, f32)>,
}

pub fn decode_event(bytes: &[u8]) -> Event {
    let mut event = Event::default();
    for (number, wire) in fields(bytes) {
        match (number, wire) {
            (1, Wire::Fixed64(bits)) => event.wall_time = f64::from_bits(bits),
            (2, Wire::Varint(v)) => event.step = v as i64,
            (3, Wire::Bytes(s)) => {
                event.file_version = Some(String::from_utf8(s.to_vec()).unwrap())
            }
            (5, Wire::Bytes(summary)) => {
                for (number, wire) in fields(summary) {
                    let (1, Wire::Bytes(value)) = (number, wire) else {
                        panic!("Summary holds only values (field 1)");
                    };
                    let (mut tag, mut simple) = (None, None);
                    for (number, wire) in fields(value) {
                        match (number, wire) {
                            (1, Wire::Bytes(t)) => {
                                tag = Some(String::from_utf8(t.to_vec()).unwrap())
                            }
                            (2, Wire::Fixed32(bits)) => {
                                simple = Some(f32::from_bits(bits))
                            }
                            (n, _) => panic!("unexpected Summary.Value field {n}"),
                        }
                    }
                    event
                        .scalars
                        .push((tag.expect("a tag"), simple.expect("a simple_value")));
                }
            }
            (10, Wire::Bytes(_)) => {} // source_metadata
            (n, _) => panic!("unexpected Event field {n}"),
        }
    }
    event
}

/// The event files in `dir`, sorted by name.
pub fn event_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.iter().all(|f| f
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("events.out.tfevents.")));
    files
}

/// The events of a file, every CRC checked, the first being the version record.
pub fn read_events(path: &Path) -> Vec<Event> {
    let bytes = fs::read(path).unwrap();
    let events: Vec<Event> = records(&bytes)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .into_iter()
        .map(decode_event)
        .collect();
    let first = &events[0];
    assert_eq!(first.file_version.as_deref(), Some("brain.Event:2"));
    assert_eq!((first.step, first.scalars.len()), (0, 0));
    assert_eq!(first.wall_time.fract(), 0.0, "whole seconds, as TensorFlow");
    assert!(events[1..].iter().all(|e| e.file_version.is_none()));
    events
}

/// `(step, tag, value)` of every scalar after the version record, one per event.
pub fn scalars(events: &[Event]) -> Vec<(i64, String, f32)> {
    events[1..]
        .iter()
        .map(|e| {
            assert_eq!(e.scalars.len(), 1, "one scalar per event, as tf.summary");
            (e.step, e.scalars[0].0.clone(), e.scalars[0].1)
        })
        .collect()
}
