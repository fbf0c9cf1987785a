"""Chinese text: numerals and heading markers, word segmentation."""
