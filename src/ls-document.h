/* ls-document.h: reading and writing layerscope-network JSON documents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ls-network.h"

G_BEGIN_DECLS

#define LS_DOCUMENT_FORMAT  "layerscope-network"
/* The newest format version that this release reads. The writer writes
 * the oldest version that has every feature a network uses. */
#define LS_DOCUMENT_VERSION 3

/* The largest file ls_document_load_file() reads, 2 GiB. The writer's
 * output for LS_MAX_NETWORK_PARAMETERS (2^26) parameters is at most about
 * 1.8 GB: up to 15 characters per number, plus brackets and indentation
 * when each row contains one weight.
 * NOTE: Labels are not counted. A network with the maximum number of units,
 * each with a 256-byte label, would not fit, but no realistic one is near. */
#define LS_DOCUMENT_MAX_FILE_SIZE (G_GUINT64_CONSTANT (1) << 31)

/* Loads a whole network or nothing. For invalid content the GError is in
 * LS_ERROR and its message names the file, the JSON path and what was
 * expected, e.g. "cat.json: layers[1].weights: expected 4 rows of 2 numbers,
 * found 3 rows". A file over LS_DOCUMENT_MAX_FILE_SIZE gives
 * LS_ERROR_INVALID_DOCUMENT before it is read. A file that cannot be read,
 * or is not a regular file, gives GIO's G_IO_ERROR with the file name in
 * front of its message. docs/FORMAT.md specifies the format. */
LsNetwork *ls_document_load_file   (GFile        *file,
                                    GError      **error);
/* As ls_document_load_file(); source_name prefixes error messages. */
LsNetwork *ls_document_load_data   (const char   *data,
                                    gssize        length,
                                    const char   *source_name,
                                    GError      **error);

/* Serialises the network as indented JSON, every float written with the
 * fewest digits that read back to the same float32. */
char      *ls_document_to_data     (LsNetwork    *network,
                                    gsize        *length);
/* Writes to a temporary file beside the target and renames it over the
 * target, so a crash never leaves a truncated document. A failure leaves
 * the target unchanged and gives G_IO_ERROR, or LS_ERROR_INVALID_DOCUMENT
 * for a network that would not load again, such as one with a label over
 * LS_MAX_LABEL_LENGTH. */
gboolean   ls_document_save_file   (LsNetwork    *network,
                                    GFile        *file,
                                    GError      **error);

/* Appends the shortest decimal text that reads back as exactly value,
 * e.g. "0.4" for 0.4f. value must be finite. */
void       ls_document_append_float (GString     *string,
                                     float        value);

G_END_DECLS
