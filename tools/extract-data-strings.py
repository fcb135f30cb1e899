#!/usr/bin/python3
"""Write the translatable strings of the example networks as a .pot file.

xgettext cannot read JSON, so this script collects the strings that the
window shows from data/examples/*.json: each network's title and
description, the input labels, and each layer's name and labels. The
output, po/data-strings.pot, is listed in po/POTFILES.in, and xgettext
merges it into layerscope.pot. At run time the window translates these
strings with g_dgettext() for examples opened from the data folder only.

Usage: extract-data-strings.py SOURCE_ROOT [OUTPUT]
OUTPUT defaults to SOURCE_ROOT/po/data-strings.pot; "-" writes to stdout.
"""

import json
import pathlib
import sys

HEADER = '''\
# Strings of the example networks in data/examples, for translation.
# Written by tools/extract-data-strings.py; do not edit by hand.
#
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: layerscope\\n"
"PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\\n"
"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n"
"Language-Team: LANGUAGE <LL@li.org>\\n"
"Language: \\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
'''


def is_translatable(text):
    """Return whether text has a letter: "0" to "9" stay as they are."""
    return isinstance(text, str) and any(c.isalpha() for c in text)


def network_strings(document):
    """Yield (comment, text) for each string of one example document."""
    yield "title of an example network", document.get("title")
    yield "description of an example network", document.get("description")
    for label in document.get("input", {}).get("labels", []):
        yield "name of one input value of an example network", label
    for layer in document.get("layers", []):
        yield "name of a layer of an example network", layer.get("name")
        for label in layer.get("labels", []):
            yield "name of a unit or class of an example network", label


def quote(text):
    """Return text as a PO string literal."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"')
               .replace("\n", "\\n").replace("\t", "\\t"))
    return '"' + escaped + '"'


def collect(root):
    """Return {text: (comment, [file, ...])} in order of first use."""
    messages = {}
    for path in sorted((root / "data" / "examples").glob("*.json")):
        with open(path, encoding="utf-8") as stream:
            document = json.load(stream)
        reference = path.relative_to(root).as_posix()
        for comment, text in network_strings(document):
            if not is_translatable(text):
                continue
            entry = messages.setdefault(text, (comment, []))
            if reference not in entry[1]:
                entry[1].append(reference)
    return messages


def write_pot(messages, stream):
    """Write the header and one entry per message."""
    stream.write(HEADER)
    for text, (comment, references) in messages.items():
        stream.write("\n#. %s\n" % comment)
        stream.write("#: %s\n" % " ".join(references))
        stream.write("msgid %s\nmsgstr \"\"\n" % quote(text))


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write("usage: extract-data-strings.py SOURCE_ROOT [OUTPUT]\n")
        return 2
    root = pathlib.Path(argv[1])
    output = argv[2] if len(argv) == 3 else str(root / "po" / "data-strings.pot")
    messages = collect(root)
    if output == "-":
        write_pot(messages, sys.stdout)
    else:
        with open(output, "w", encoding="utf-8") as stream:
            write_pot(messages, stream)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
