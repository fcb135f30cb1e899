/* ls-attention-preset.h: query and key weights that give one attention
 * head a recognisable pattern
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ls-network.h"

G_BEGIN_DECLS

typedef enum
{
  LS_ATTENTION_PRESET_UNIFORM,   /* every allowed key gets the same weight */
  LS_ATTENTION_PRESET_PREVIOUS,  /* token t attends mostly to token t − 1 */
  LS_ATTENTION_PRESET_SELF,      /* each token attends mostly to itself */
  LS_N_ATTENTION_PRESETS
} LsAttentionPreset;

/* The translated name, e.g. "Attend to self". */
const char *ls_attention_preset_get_display_name (LsAttentionPreset preset);

/* Rewrites the columns of head `head` in wq, wk, bq and bk of attention
 * layer `layer`, leaving the other heads, wv, wo, bv and bo as they are.
 * The edits run as one change, so the network runs one forward pass and
 * emits LsNetwork::changed once.
 *
 * Uniform sets the head's query columns and bq to 0, so every score is 0
 * and each row of the softmax is exactly 1 / T, or 1 / (t + 1) when causal.
 *
 * Self projects the layer's first d / heads input features, centred on
 * the mean of the current tokens, into both the queries and the keys of
 * the head. It scales them so that every token whose own score is the
 * largest of its row puts at least 0.9 of its weight on itself.
 *
 * Previous rotates the sinusoidal encoding's (sin, cos) pairs by one
 * position in the queries, so that the query of token t points at the
 * encoding of position t − 1 in the keys. It needs a sinusoidal
 * positional layer of width d before this layer, and returns an
 * LS_ERROR_INVALID_ARGUMENT error without changing the network when
 * there is none.
 *
 * Self and previous read the token vectors themselves, word and position
 * mixed, so large embedding values blur both patterns. */
gboolean    ls_attention_apply_preset            (LsNetwork        *network,
                                                  gsize             layer,
                                                  gsize             head,
                                                  LsAttentionPreset preset,
                                                  GError          **error);

G_END_DECLS
