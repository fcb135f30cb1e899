/* ls-error.h: the error domain shared by the engine and the document code
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LS_ERROR (ls_error_quark ())

typedef enum
{
  LS_ERROR_INVALID_DOCUMENT,   /* a document that is not well-formed Layerscope JSON */
  LS_ERROR_UNSUPPORTED_VERSION,/* a document written by a newer Layerscope */
  LS_ERROR_INVALID_VALUE,      /* NaN, infinity or a number outside float range */
  LS_ERROR_INVALID_SHAPE,      /* a size of 0, over a limit, or that does not fit its neighbours */
  LS_ERROR_INVALID_ARGUMENT,   /* a bad command-line option or edit request */
  LS_ERROR_DIVERGED,           /* training met a NaN or an infinity */
  LS_ERROR_INVALID_DATA,       /* a data file or a set of samples that cannot be used */
} LsError;

GQuark ls_error_quark (void);

G_END_DECLS
