#!/bin/sh
# Fails when a source file with translatable strings is missing from
# po/POTFILES.in, or when xgettext warns about a message, such as one
# that a G_*_FORMAT macro cuts off.
set -eu

cd "$1"
status=0

# Every C and .ui file at any depth of src/ and ui/, so that a new file in
# a new folder is checked too.
for file in $(find src ui -name '*.c' -o -name '*.ui' | sort); do
  if grep -q -e '_(' -e 'N_(' -e 'ngettext' -e 'translatable="yes"' "$file" &&
     ! grep -qx "$file" po/POTFILES.in; then
    echo "$file has translatable strings but is not in po/POTFILES.in"
    status=1
  fi
done

# The desktop file, metainfo and schema have translatable names and
# summaries, the lessons' text is extracted by the ITS rules in po/its/,
# and po/data-strings.pot contains the example networks' strings.
for file in data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml \
            data/lessons/*.lesson po/data-strings.pot; do
  if [ -e "$file" ] && ! grep -qx "$file" po/POTFILES.in; then
    echo "$file has translatable strings but is not in po/POTFILES.in"
    status=1
  fi
done

# A listed file that no longer exists stops xgettext.
while read -r file; do
  case "$file" in
    ''|'#'*) continue ;;
  esac
  if [ ! -e "$file" ]; then
    echo "$file is listed in po/POTFILES.in but does not exist"
    status=1
  fi
done < po/POTFILES.in

# xgettext finds the lessons' ITS rules in po/its/ through GETTEXTDATADIRS.
GETTEXTDATADIRS=$PWD/po
export GETTEXTDATADIRS

warnings=$(xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
                    --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 \
                    --add-comments=TRANSLATORS --files-from=po/POTFILES.in \
                    --output=/dev/null 2>&1 | grep -i 'warning' || true)
if [ -n "$warnings" ]; then
  printf '%s\n' "$warnings"
  status=1
fi

# xgettext ends a message at a macro such as G_GSIZE_FORMAT without a
# warning, so a message whose text ends in a lone % was cut off there.
# Such messages need %zu, or %llu and a cast, in place of the macro.
pot=$(mktemp)
trap 'rm -f "$pot"' EXIT
xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
         --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 --files-from=po/POTFILES.in \
         --output="$pot" 2>/dev/null
cut_off=$(awk '
  /^#: / { where = $0 }
  /^msgid / { id = substr($0, 7); in_id = 1; next }
  /^"/ && in_id { id = id $0; next }
  { if (in_id && id ~ /(^|[^%])(%%)*%"$/) print where ": " id; in_id = 0 }' "$pot")
if [ -n "$cut_off" ]; then
  printf 'message cut off at a format macro:\n%s\n' "$cut_off"
  status=1
fi

exit "$status"
