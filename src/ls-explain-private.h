/* ls-explain-private.h: helpers shared by the formula files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ls-explain.h"

G_BEGIN_DECLS

/* A formula lists at most this many products before eliding the middle. */
#define LS_EXPLAIN_MAX_TERMS 8

char        *ls_explain_format_value         (double         value);
char        *ls_explain_format_percent       (double         probability);
char        *ls_explain_format_input         (double         value);
char        *ls_explain_format_later_input   (double         value);
char        *ls_explain_format_factor        (double         value);
char        *ls_explain_quote_for_formula    (char          *name);
const float *ls_explain_get_layer_input      (LsNetwork     *network,
                                              gsize          index);
void         ls_explain_append_weighted_sum  (GString       *text,
                                              const LsLayer *layer,
                                              const float   *input,
                                              gsize          unit);
void         ls_explain_append_non_finite_note (GString     *text,
                                              LsNetwork     *network);

/* ls-explain-sequence.c: names and formulas of token sequences [T][d]. */
char        *ls_explain_dup_sequence_name    (LsNetwork     *network,
                                              gsize          column,
                                              gsize          unit);
char        *ls_explain_token_input          (LsNetwork     *network,
                                              gsize          token);
char        *ls_explain_embedding            (LsNetwork     *network,
                                              const LsLayer *layer,
                                              gsize          column,
                                              const char    *name,
                                              gsize          unit);
char        *ls_explain_positional           (LsNetwork     *network,
                                              const LsLayer *layer,
                                              gsize          column,
                                              const char    *name,
                                              gsize          unit);
char        *ls_explain_attention_value      (LsNetwork     *network,
                                              const LsLayer *layer,
                                              gsize          column,
                                              const char    *name,
                                              gsize          unit);
char        *ls_explain_layernorm            (LsNetwork     *network,
                                              const LsLayer *layer,
                                              gsize          column,
                                              const char    *name,
                                              gsize          unit);
char        *ls_explain_pool_tokens          (LsNetwork     *network,
                                              const LsLayer *layer,
                                              gsize          column,
                                              const char    *name,
                                              gsize          unit);
char        *ls_explain_dense_token          (LsNetwork     *network,
                                              const LsLayer *layer,
                                              gsize          column,
                                              const char    *name,
                                              gsize          unit);

G_END_DECLS
