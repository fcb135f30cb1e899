/* ls-document-private.h: parts of the document reader shared by its files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ls-document.h"
#include "ls-error.h"

G_BEGIN_DECLS

/* JsonParser recurses once per nesting level and overflows the stack on
 * input such as a million '[' characters, so deeper documents are rejected
 * before parsing. Version 1 documents nest at most 5 levels deep:
 * the top-level object, "layers", a layer, "weights" and a row of it. */
#define MAX_NESTING_DEPTH 64

/* The smallest double that rounds to infinity when cast to float:
 * FLT_MAX plus half a unit in the last place, which ties to even upwards. */
#define FLOAT_OVERFLOW_THRESHOLD 0x1.ffffffp+127

/* FLT_MAX in the fewest digits that read back as it. */
#define FLT_MAX_TEXT "3.4028235e38"

/* Sets an LS_ERROR whose message is "SOURCE: PATH: MESSAGE", or
 * "SOURCE: MESSAGE" when path is NULL. */
void     ls_document_set_error (GError     **error,
                                const char  *source,
                                LsError      code,
                                const char  *path,
                                const char  *format,
                                ...) G_GNUC_PRINTF (5, 6);

/* Scans the raw text for what JsonParser would misread: integers beyond
 * gint64, numbers that are not JSON, literals beyond the double range,
 * "\u0000" in strings and nesting deeper than MAX_NESTING_DEPTH. */
gboolean ls_json_scan_text     (const char  *source,
                                const char  *data,
                                gsize        length,
                                GError     **error);
/* Rejects text that is not UTF-8, naming the line and column. */
gboolean ls_json_check_utf8    (const char  *source,
                                const char  *data,
                                gsize        length,
                                GError     **error);

G_END_DECLS
