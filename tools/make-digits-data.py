#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the data sets that Layerscope ships in data/datasets/.

Digits: the UCI Optical Recognition of Handwritten Digits images that
scikit-learn ships as digits.csv.gz, 1797 rows of 64 pixel values (an 8 x 8
image, row by row, each 0 to 16) followed by the digit. The script splits
them into 360 test and 1437 training images: for each digit 0 to 9 in turn,
random.Random(SEED).sample() picks 36 of that digit's rows for the test
split, so each digit has 36 test images. Both splits keep the CSV's row
order. It writes

    digits-train-images-idx3-ubyte.gz   digits-train-labels-idx1-ubyte.gz
    digits-test-images-idx3-ubyte.gz    digits-test-labels-idx1-ubyte.gz

with the raw values 0 to 16 as unsigned bytes.

Fashion-MNIST: the first 1000 images and labels of the test split
(t10k-*.gz of the Debian package dataset-fashion-mnist), unchanged:

    fashion-mnist-test-1000-images-idx3-ubyte.gz
    fashion-mnist-test-1000-labels-idx1-ubyte.gz

Every file is IDX, as described with the MNIST database, compressed with
gzip with the modification time set to 0, so reruns write the same bytes.
Rerun it from the top of the source tree with

    /usr/bin/python3 tools/make-digits-data.py

on Debian with python3-sklearn and dataset-fashion-mnist installed.
"""

import csv
import gzip
import io
import os
import random
import struct
import sys

DIGITS_CSV = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz"
FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"
OUTPUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          "..", "data", "datasets")

SEED = 1998
TEST_PER_DIGIT = 36
FASHION_SLICE = 1000

IDX_UBYTE = 0x08


def idx_bytes(dims, values):
    """Return an IDX file of unsigned bytes with the given dimensions."""
    header = struct.pack(">BBBB", 0, 0, IDX_UBYTE, len(dims))
    header += b"".join(struct.pack(">I", d) for d in dims)
    return header + bytes(values)


def write_gzip(name, data):
    path = os.path.join(OUTPUT_DIR, name)
    with open(path, "wb") as out:
        # An empty filename and mtime 0 keep the gzip header the same on
        # every run.
        with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0,
                           compresslevel=9) as compressed:
            compressed.write(data)
    print(f"wrote {os.path.relpath(path)}: {len(data)} bytes before compression")


def read_digits():
    """Return the CSV's rows as (64 pixel values, digit) pairs."""
    with gzip.open(DIGITS_CSV, "rt", newline="") as f:
        rows = [[int(float(v)) for v in row] for row in csv.reader(f) if row]
    if len(rows) != 1797 or any(len(row) != 65 for row in rows):
        sys.exit(f"{DIGITS_CSV}: expected 1797 rows of 65 numbers")
    for number, row in enumerate(rows, start=1):
        if not all(0 <= v <= 16 for v in row[:64]) or not 0 <= row[64] <= 9:
            sys.exit(f"{DIGITS_CSV}: row {number} has a pixel outside 0..16 "
                     "or a digit outside 0..9")
    return [(row[:64], row[64]) for row in rows]


def split_digits(rows):
    """Return the row indices of the test split, TEST_PER_DIGIT per digit."""
    rng = random.Random(SEED)
    test = set()
    for digit in range(10):
        indices = [i for i, (_, label) in enumerate(rows) if label == digit]
        test.update(rng.sample(indices, TEST_PER_DIGIT))
    return test


def write_digits():
    rows = read_digits()
    test = split_digits(rows)
    for split in ("train", "test"):
        chosen = [rows[i] for i in range(len(rows)) if (i in test) == (split == "test")]
        pixels = [v for values, _ in chosen for v in values]
        labels = [label for _, label in chosen]
        write_gzip(f"digits-{split}-images-idx3-ubyte.gz",
                   idx_bytes([len(chosen), 8, 8], pixels))
        write_gzip(f"digits-{split}-labels-idx1-ubyte.gz",
                   idx_bytes([len(chosen)], labels))


def read_idx_ubyte(path, rank):
    """Return (dims, data bytes) of a gzip-compressed IDX file of bytes."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    if tuple(data[:4]) != (0, 0, IDX_UBYTE, rank):
        sys.exit(f"{path}: not an IDX file of unsigned bytes with {rank} dimensions")
    dims = list(struct.unpack(f">{rank}I", data[4:4 + 4 * rank]))
    body = data[4 + 4 * rank:]
    size = 1
    for dim in dims:
        size *= dim
    if len(body) != size:
        sys.exit(f"{path}: {len(body)} data bytes, but the header declares {size}")
    return dims, body


def write_fashion_slice():
    images_path = os.path.join(FASHION_MNIST_DIR, "t10k-images-idx3-ubyte.gz")
    labels_path = os.path.join(FASHION_MNIST_DIR, "t10k-labels-idx1-ubyte.gz")
    if not os.path.exists(images_path):
        sys.exit(f"{images_path} not found: install it with "
                 "sudo apt install dataset-fashion-mnist")
    dims, images = read_idx_ubyte(images_path, 3)
    _, labels = read_idx_ubyte(labels_path, 1)
    image_size = dims[1] * dims[2]
    write_gzip(f"fashion-mnist-test-{FASHION_SLICE}-images-idx3-ubyte.gz",
               idx_bytes([FASHION_SLICE, dims[1], dims[2]],
                         images[:FASHION_SLICE * image_size]))
    write_gzip(f"fashion-mnist-test-{FASHION_SLICE}-labels-idx1-ubyte.gz",
               idx_bytes([FASHION_SLICE], labels[:FASHION_SLICE]))


def main():
    os.makedirs(OUTPUT_DIR, exist_ok=True)
    write_digits()
    write_fashion_slice()


if __name__ == "__main__":
    main()
