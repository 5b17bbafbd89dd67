//! The part of TensorFlow's `Event` protocol buffer (`tensorflow/core/util/event.proto`,
//! `tensorflow/core/framework/summary.proto`) that a scalar log needs, as `prost`
//! messages written by hand: field numbers and types are the `.proto` files', so the
//! bytes are what TensorFlow's own serializer gives for the same values.

/// `message Event`: one record of an event file.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct Event {
    /// `double wall_time = 1`: seconds since the Unix epoch.
    #[prost(double, tag = "1")]
    pub wall_time: f64,
    /// `int64 step = 2`: the x coordinate of the summary (here the epoch, from 0).
    #[prost(int64, tag = "2")]
    pub step: i64,
    /// `oneof what`: the file version (first record) or a summary.
    #[prost(oneof = "What", tags = "3, 5")]
    pub what: Option<What>,
    /// `SourceMetadata source_metadata = 10`: which program wrote the file.
    #[prost(message, optional, tag = "10")]
    pub source_metadata: Option<SourceMetadata>,
}

/// `oneof what` of `Event` (the members used here).
#[derive(Clone, PartialEq, prost::Oneof)]
pub(crate) enum What {
    /// `string file_version = 3`: `"brain.Event:2"` in the first record of a file.
    #[prost(string, tag = "3")]
    FileVersion(String),
    /// `Summary summary = 5`.
    #[prost(message, tag = "5")]
    Summary(Summary),
}

/// `message SourceMetadata { string writer = 1; }`.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct SourceMetadata {
    #[prost(string, tag = "1")]
    pub writer: String,
}

/// `message Summary { repeated Value value = 1; }`.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct Summary {
    #[prost(message, repeated, tag = "1")]
    pub value: Vec<Value>,
}

/// `Summary.Value`: a tag and, here, a scalar.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct Value {
    /// `string tag = 1`: the chart's name, e.g. `epoch_loss`.
    #[prost(string, tag = "1")]
    pub tag: String,
    /// `oneof value`: being a oneof member, `simple_value` is written even when it is
    /// 0.0 (a plain proto3 float of 0 would be left out and the scalar lost).
    #[prost(oneof = "Kind", tags = "2")]
    pub kind: Option<Kind>,
}

/// `oneof value` of `Summary.Value` (the member used here).
#[derive(Clone, PartialEq, prost::Oneof)]
pub(crate) enum Kind {
    /// `float simple_value = 2`.
    #[prost(float, tag = "2")]
    SimpleValue(f32),
}

/// The version every event file starts with.
pub(crate) const FILE_VERSION: &str = "brain.Event:2";

/// The first record of a file: its version and its writer, as TensorFlow's
/// `EventsWriter` writes it.
pub(crate) fn file_version(wall_time: f64) -> Event {
    Event {
        wall_time,
        step: 0,
        what: Some(What::FileVersion(FILE_VERSION.into())),
        source_metadata: Some(SourceMetadata {
            writer: "annlab".into(),
        }),
    }
}

/// One scalar `tag` = `value` at `step`.
pub(crate) fn scalar(wall_time: f64, step: i64, tag: &str, value: f32) -> Event {
    Event {
        wall_time,
        step,
        what: Some(What::Summary(Summary {
            value: vec![Value {
                tag: tag.into(),
                kind: Some(Kind::SimpleValue(value)),
            }],
        })),
        source_metadata: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost::Message;

    /// The bytes TensorBoard's own Python protobuf classes (`event_pb2.Event`) serialize
    /// the same events to.
    #[test]
    fn events_encode_to_the_bytes_of_tensorboards_own_protobuf_classes() {
        assert_eq!(
            scalar(1.5, 3, "epoch_loss", 0.25).encode_to_vec(),
            [
                9, 0, 0, 0, 0, 0, 0, 248, 63, 16, 3, 42, 19, 10, 17, 10, 10, 101, 112,
                111, 99, 104, 95, 108, 111, 115, 115, 21, 0, 0, 128, 62
            ]
        );
        assert_eq!(
            file_version(1_700_000_000.0).encode_to_vec(),
            [
                9, 0, 0, 0, 64, 252, 84, 217, 65, 26, 13, 98, 114, 97, 105, 110, 46, 69,
                118, 101, 110, 116, 58, 50, 82, 8, 10, 6, 97, 110, 110, 108, 97, 98
            ]
        );
    }
}
