//! Decoding of `Transfer-Encoding: chunked` bodies, fed in pieces of any size as they
//! come off the socket.

use anyhow::{Context, bail};

/// Decodes a `chunked` body fed in pieces of any size.
#[derive(Debug, Default)]
pub struct Chunked {
    state: ChunkState,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum ChunkState {
    /// Expecting a chunk-size line.
    #[default]
    Size,
    /// Inside a chunk, this many bytes left.
    Data(u64),
    /// After a chunk's data, expecting its CRLF.
    DataEnd,
    /// After the last chunk, reading trailer lines up to an empty one.
    Trailer,
    Done,
}

impl Chunked {
    pub fn is_done(&self) -> bool {
        self.state == ChunkState::Done
    }

    /// Consumes what it can of `input`, passing body bytes to `body`. Returns how many
    /// bytes were consumed; fewer than `input.len()` means more input is needed (or the
    /// body is complete: see [`Chunked::is_done`]).
    pub fn feed(&mut self, input: &[u8], body: &mut impl FnMut(&[u8])) -> anyhow::Result<usize> {
        let mut at = 0;
        loop {
            let rest = &input[at..];
            match self.state {
                ChunkState::Done => return Ok(at),
                ChunkState::Size | ChunkState::Trailer => {
                    let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") else {
                        if rest.len() > 1024 {
                            bail!("chunk size line too long");
                        }
                        return Ok(at);
                    };
                    let line = std::str::from_utf8(&rest[..eol]).context("chunk size line")?;
                    at += eol + 2;
                    if self.state == ChunkState::Trailer {
                        if line.is_empty() {
                            self.state = ChunkState::Done;
                        }
                        continue;
                    }
                    let digits = line.split(';').next().unwrap_or_default().trim();
                    let size = u64::from_str_radix(digits, 16)
                        .with_context(|| format!("bad chunk size {line:?}"))?;
                    self.state = if size == 0 {
                        ChunkState::Trailer
                    } else {
                        ChunkState::Data(size)
                    };
                }
                ChunkState::Data(left) => {
                    if rest.is_empty() {
                        return Ok(at);
                    }
                    let take = usize::try_from(left).unwrap_or(usize::MAX).min(rest.len());
                    body(&rest[..take]);
                    at += take;
                    let left = left - take as u64;
                    self.state = if left == 0 {
                        ChunkState::DataEnd
                    } else {
                        ChunkState::Data(left)
                    };
                }
                ChunkState::DataEnd => {
                    if rest.len() < 2 {
                        return Ok(at);
                    }
                    if &rest[..2] != b"\r\n" {
                        bail!("chunk data not followed by CRLF");
                    }
                    at += 2;
                    self.state = ChunkState::Size;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(input: &[u8], piece: usize) -> (Vec<u8>, bool) {
        let mut decoder = Chunked::default();
        let mut body = Vec::new();
        let mut pending: Vec<u8> = Vec::new();
        for part in input.chunks(piece) {
            pending.extend_from_slice(part);
            let used = decoder
                .feed(&pending, &mut |b: &[u8]| body.extend_from_slice(b))
                .expect("valid chunked body");
            pending.drain(..used);
        }
        (body, decoder.is_done())
    }

    #[test]
    fn decodes_chunked_bodies_fed_in_any_pieces() {
        let raw = b"4\r\nWiki\r\n6;name=x\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\nX-Trailer: 1\r\n\r\nNEXT";
        for piece in [1, 2, 3, 7, 64] {
            let (body, done) = decode_all(&raw[..raw.len() - 4], piece);
            assert!(done, "piece {piece}");
            assert_eq!(body, b"Wikipedia in \r\n\r\nchunks.");
        }
        // The decoder stops at the end of the body and leaves what follows.
        let mut decoder = Chunked::default();
        let used = decoder.feed(raw, &mut |_: &[u8]| {}).expect("valid");
        assert!(decoder.is_done());
        assert_eq!(&raw[used..], b"NEXT");
    }

    #[test]
    fn rejects_broken_chunks() {
        let mut decoder = Chunked::default();
        assert!(decoder.feed(b"zz\r\n", &mut |_: &[u8]| {}).is_err());
        let mut decoder = Chunked::default();
        assert!(decoder.feed(b"2\r\nabXY", &mut |_: &[u8]| {}).is_err());
    }
}
