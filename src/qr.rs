//! QR codes of public URLs, per the platform's contract: error-correction
//! level M, a 4-module quiet zone, black on white.

use std::fmt::Write as _;

use qrcode::{Color, EcLevel, QrCode};

/// Quiet zone around the code, in modules (the QR spec minimum for scanners).
const QUIET: usize = 4;

/// Upper bound on the PNG side, so a bad `min_pixels` cannot exhaust memory
/// (4096² greyscale bytes = 16 MiB; print needs about 1200).
const MAX_PNG_PIXELS: u32 = 4096;

/// Why a QR code could not be made.
#[derive(Debug, thiserror::Error)]
pub enum QrError {
    /// The data does not fit even in a version 40 code at level M.
    #[error("data too long for a QR code ({len} bytes)")]
    TooLong {
        /// Length of the rejected data, in bytes.
        len: usize,
    },
    /// PNG encoding failed; cannot happen when writing to memory, but the
    /// encoder's API is fallible and we do not want to panic.
    #[error("PNG encoding failed: {0}")]
    Png(#[from] png::EncodingError),
}

/// Module matrix of `data`: side length (without quiet zone) and dark flags,
/// row-major.
fn matrix(data: &str) -> Result<(usize, Vec<bool>), QrError> {
    // With automatic version and byte data, qrcode only fails when the data is
    // too long, so every error maps to `TooLong`.
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)
        .map_err(|_| QrError::TooLong { len: data.len() })?;
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == Color::Dark)
        .collect();
    Ok((code.width(), dark))
}

/// Escapes text for use inside a double-quoted XML attribute.
fn escape_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// The QR code of `data` as a standalone SVG document (no `<?xml?>`
/// declaration, so it can be inlined in HTML or served as `image/svg+xml`).
///
/// The drawing is in module units through `viewBox` with no fixed size, so it
/// scales to its container; `label` becomes the `aria-label`.
pub fn svg(data: &str, label: &str) -> Result<String, QrError> {
    let (width, dark) = matrix(data)?;
    let side = width + 2 * QUIET;
    // One path of merged horizontal runs keeps the document small.
    let mut d = String::new();
    for (y, row) in dark.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if !row[x] {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && row[x] {
                x += 1;
            }
            let run = x - start;
            // Writing into a String cannot fail.
            let _ = write!(d, "M{} {}h{run}v1h-{run}z", start + QUIET, y + QUIET);
        }
    }
    Ok(format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" "#,
            r#"shape-rendering="crispEdges" role="img" aria-label="{label}">"#,
            r##"<rect width="{side}" height="{side}" fill="#fff"/>"##,
            r##"<path fill="#000" d="{d}"/></svg>"##,
        ),
        side = side,
        label = escape_attr(label),
        d = d,
    ))
}

/// The QR code of `data` as an 8-bit greyscale PNG, at least `min_pixels`
/// wide (capped at 4096), with an integer number of pixels per module so the
/// edges stay sharp for print.
pub fn png(data: &str, min_pixels: u32) -> Result<Vec<u8>, QrError> {
    let (width, dark) = matrix(data)?;
    let side = width + 2 * QUIET;
    // side <= 177 + 8, so it fits in u32; scale is the smallest that reaches
    // the requested width.
    let side32 = side as u32;
    let scale = min_pixels.min(MAX_PNG_PIXELS).div_ceil(side32).max(1) as usize;
    let px = side * scale;

    let mut pixels = vec![255u8; px * px];
    for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
        let (mx, my) = (i % width + QUIET, i / width + QUIET);
        for row in my * scale..(my + 1) * scale {
            let start = row * px + mx * scale;
            pixels[start..start + scale].fill(0);
        }
    }

    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, px as u32, px as u32);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    // Large flat areas: best compression makes the file ~3x smaller, cheaply.
    encoder.set_compression(png::Compression::Best);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&pixels)?;
    writer.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://pouls.ccyn.fr/q/7kq3mz";

    /// Decodes a PNG into (side, greyscale pixels).
    fn decode_png(bytes: &[u8]) -> (usize, Vec<u8>) {
        let decoder = png::Decoder::new(bytes);
        let mut reader = decoder.read_info().expect("PNG header");
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).expect("PNG frame");
        assert_eq!(info.color_type, png::ColorType::Grayscale);
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        assert_eq!(info.width, info.height);
        buf.truncate(info.buffer_size());
        (info.width as usize, buf)
    }

    /// Decodes the single QR code of a greyscale image.
    fn read_qr(side: usize, pixels: &[u8]) -> (rqrr::MetaData, String) {
        let mut img =
            rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| pixels[y * side + x]);
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1);
        grids[0].decode().expect("QR decode")
    }

    #[test]
    fn png_decodes_to_the_url_at_level_m() {
        let (side, pixels) = decode_png(&png(URL, 1000).expect("png"));
        let (meta, content) = read_qr(side, &pixels);
        assert_eq!(content, URL);
        // rqrr reports the raw format bits: 0 is level M.
        assert_eq!(meta.ecc_level, 0);
        assert!(side >= 1000);
        let (width, _) = matrix(URL).expect("matrix");
        assert_eq!(side % (width + 2 * QUIET), 0);
    }

    #[test]
    fn png_has_version_3_and_a_4_module_quiet_zone() {
        // 30 bytes need version 3 (29 modules) at level M; at L it would fit
        // version 2, so this also pins the level.
        let (width, _) = matrix(URL).expect("matrix");
        assert_eq!(width, 29);
        let (side, pixels) = decode_png(&png(URL, 1200).expect("png"));
        let scale = 1200_usize.div_ceil(37);
        assert_eq!(side, 37 * scale);
        // The top-left finder pattern starts right after the quiet zone, on
        // the row and column alike.
        let quiet = 4 * scale;
        let first_dark_in_row = pixels[quiet * side..(quiet + 1) * side]
            .iter()
            .position(|&p| p == 0);
        assert_eq!(first_dark_in_row, Some(quiet));
        let first_dark_in_col = (0..side).position(|y| pixels[y * side + quiet] == 0);
        assert_eq!(first_dark_in_col, Some(quiet));
        // Nothing dark anywhere in the top quiet band.
        assert!(pixels[..quiet * side].iter().all(|&p| p == 255));
    }

    #[test]
    fn png_small_request_still_one_pixel_per_module() {
        let (side, _) = decode_png(&png(URL, 0).expect("png"));
        assert_eq!(side, 37);
    }

    /// Rebuilds the module bitmap (quiet zone included) from the SVG path.
    fn bitmap_from_svg(doc: &str, side: usize) -> Vec<bool> {
        let d = doc.split(" d=\"").nth(1).expect("path data");
        let d = &d[..d.find('"').expect("end of path data")];
        let mut bits = vec![false; side * side];
        for seg in d.split('z').filter(|s| !s.is_empty()) {
            let (pos, rest) = seg[1..].split_once('h').expect("h");
            let (x, y) = pos.split_once(' ').expect("x y");
            let (x, y): (usize, usize) = (x.parse().expect("x"), y.parse().expect("y"));
            let run: usize = rest.split_once('v').expect("v").0.parse().expect("run");
            assert_eq!(rest, format!("{run}v1h-{run}"));
            for cell in &mut bits[y * side + x..y * side + x + run] {
                assert!(!*cell, "overlapping runs");
                *cell = true;
            }
        }
        bits
    }

    #[test]
    fn svg_is_standalone_scalable_and_matches_the_matrix() {
        let doc = svg(URL, "QR code vers <\"a&b\">").expect("svg");
        assert!(doc.starts_with("<svg"));
        assert!(!doc.contains("<?xml"));
        assert!(doc.contains(r#"viewBox="0 0 37 37""#));
        assert!(doc.contains(r#"shape-rendering="crispEdges""#));
        assert!(doc.contains(r#"role="img""#));
        assert!(doc.contains(r#"aria-label="QR code vers &lt;&quot;a&amp;b&quot;&gt;""#));
        // No fixed size on the root element: it scales to its container.
        let root = &doc[..doc.find('>').expect("root tag")];
        assert!(!root.contains("width") && !root.contains("height"));

        let (width, dark) = matrix(URL).expect("matrix");
        let side = width + 2 * QUIET;
        let bits = bitmap_from_svg(&doc, side);
        assert_eq!(
            bits.iter().filter(|b| **b).count(),
            dark.iter().filter(|b| **b).count()
        );
        for (i, &d) in dark.iter().enumerate() {
            assert_eq!(bits[(i / width + QUIET) * side + i % width + QUIET], d);
        }
        // And the rebuilt bitmap scans back to the URL.
        let scale = 8;
        let px = side * scale;
        let pixels: Vec<u8> = (0..px * px)
            .map(|i| {
                if bits[(i / px / scale) * side + (i % px) / scale] {
                    0
                } else {
                    255
                }
            })
            .collect();
        assert_eq!(read_qr(px, &pixels).1, URL);
    }

    #[test]
    fn too_long_data_is_an_error() {
        let long = "a".repeat(5000);
        assert!(matches!(
            svg(&long, "x"),
            Err(QrError::TooLong { len: 5000 })
        ));
        assert!(matches!(
            png(&long, 1200),
            Err(QrError::TooLong { len: 5000 })
        ));
    }
}
