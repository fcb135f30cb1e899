/* ls-attention-preset.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ls-attention-preset.h"
#include "ls-error.h"

/* Self makes each token whose own score is its row's largest put at
 * least this weight on itself, over the current input. */
#define SELF_WEIGHT 0.9

/* The largest scale self uses, so that tokens that barely differ do not
 * get huge weights. */
#define MAX_SELF_SCALE 1000.0

/* Previous scales the head so that, on the encoding alone, the scaled
 * score of position t − 1 exceeds that of its neighbours t and t − 2 by
 * this much, and each neighbour gets e^−6 = 0.25 % of its weight. */
#define PREVIOUS_SCORE_GAP 6.0

/* The base of the sinusoidal encoding's wavelengths, as in
 * ls_layer_fill_sinusoidal(). */
#define SINUSOIDAL_BASE 10000.0

static const char *const display_names[] = {
  [LS_ATTENTION_PRESET_UNIFORM] = N_("Uniform attention"),
  [LS_ATTENTION_PRESET_PREVIOUS] = N_("Attend to previous token"),
  [LS_ATTENTION_PRESET_SELF] = N_("Attend to self"),
};

G_STATIC_ASSERT (G_N_ELEMENTS (display_names) == LS_N_ATTENTION_PRESETS);

const char *
ls_attention_preset_get_display_name (LsAttentionPreset preset)
{
  g_return_val_if_fail (preset < LS_N_ATTENTION_PRESETS, NULL);

  return g_dgettext (GETTEXT_PACKAGE, display_names[preset]);
}

/* The new query and key parameters of one head, copies of the layer's
 * that the preset rewrites in the head's columns. */
typedef struct
{
  gsize d;
  gsize offset;      /* the head's first column */
  gsize dh;          /* the head's width, d / heads */
  float *wq;         /* [d][d] */
  float *wk;         /* [d][d] */
  float *bq;         /* [d] */
  float *bk;         /* [d] */
} HeadParameters;

static void
head_parameters_init (HeadParameters *p,
                      const LsLayer  *layer,
                      gsize           head)
{
  gsize d = layer->units;

  p->d = d;
  p->dh = d / layer->heads;
  p->offset = head * p->dh;
  p->wq = g_memdup2 (ls_layer_get_attention_matrix (layer, LS_ATTENTION_QUERY), d * d * sizeof (float));
  p->wk = g_memdup2 (ls_layer_get_attention_matrix (layer, LS_ATTENTION_KEY), d * d * sizeof (float));
  p->bq = g_memdup2 (ls_layer_get_attention_bias (layer, LS_ATTENTION_QUERY), d * sizeof (float));
  p->bk = g_memdup2 (ls_layer_get_attention_bias (layer, LS_ATTENTION_KEY), d * sizeof (float));
}

static void
head_parameters_clear (HeadParameters *p)
{
  g_clear_pointer (&p->wq, g_free);
  g_clear_pointer (&p->wk, g_free);
  g_clear_pointer (&p->bq, g_free);
  g_clear_pointer (&p->bk, g_free);
}

/* Sets the head's columns of a [d][d] matrix and of its bias to 0. */
static void
clear_head_columns (const HeadParameters *p,
                    float                *matrix,
                    float                *bias)
{
  for (gsize row = 0; row < p->d; row++)
    memset (matrix + row * p->d + p->offset, 0, p->dh * sizeof (float));
  memset (bias + p->offset, 0, p->dh * sizeof (float));
}

/* Makes the head's column offset + j read input feature j times scale,
 * for j < dh: a projection onto the first dh input features. */
static void
set_head_projection (const HeadParameters *p,
                     float                *matrix,
                     float                *bias,
                     double                scale,
                     gsize                 n_columns)
{
  clear_head_columns (p, matrix, bias);
  for (gsize j = 0; j < n_columns; j++)
    matrix[j * p->d + p->offset + j] = (float) scale;
}

/* Returns the last positional layer before layer index, and its index
 * in *positional_index, or NULL when there is none. */
static const LsLayer *
find_positional (LsNetwork *network,
                 gsize      index,
                 gsize     *positional_index)
{
  const LsLayer *positional = NULL;

  for (gsize i = 0; i < index; i++)
    if (ls_network_get_layer (network, i)->kind == LS_LAYER_POSITIONAL)
      {
        positional = ls_network_get_layer (network, i);
        *positional_index = i;
      }

  return positional;
}

/* Whether layer index reads a sinusoidal encoding of its own width. */
static gboolean
has_sinusoidal_encoding (LsNetwork *network,
                         gsize      index)
{
  gsize positional_index;
  const LsLayer *positional = find_positional (network, index, &positional_index);

  return positional != NULL && positional->encoding == LS_POSITIONAL_SINUSOIDAL &&
         positional->units == ls_network_get_layer (network, index)->units;
}

/* Returns the layer's input after the last forward pass, [T][d]. */
static const float *
get_layer_input (LsNetwork *network,
                 gsize      index)
{
  if (index == 0)
    return ls_network_get_input (network);

  return ls_network_get_layer (network, index - 1)->activation_output;
}

/* Returns the centred features that the self preset projects, [T][dh]:
 * y_t = x_t[j] − μ[j] for j < dh, with μ the mean of the tokens, stored
 * in mean [dh]. */
static double *
new_centred_features (const float          *input,   /* [T][d] */
                      gsize                 tokens,
                      const HeadParameters *p,
                      double               *mean)    /* [dh] */
{
  double *y = g_new (double, tokens * p->dh);

  for (gsize j = 0; j < p->dh; j++)
    {
      mean[j] = 0.0;
      for (gsize t = 0; t < tokens; t++)
        mean[j] += input[t * p->d + j];
      mean[j] /= (double) tokens;

      for (gsize t = 0; t < tokens; t++)
        y[t * p->dh + j] = input[t * p->d + j] - mean[j];
    }

  return y;
}

static double
dot (const double *a,
     const double *b,
     gsize         n)
{
  double sum = 0.0;

  for (gsize j = 0; j < n; j++)
    sum += a[j] * b[j];

  return sum;
}

/* Returns the smallest softmax weight that a token puts on itself when
 * the scores are c2 · y_t·y_s / sqrt(dh), over the tokens whose own score
 * is the largest of their row. No scale helps the others. */
static double
get_min_self_weight (const double *y,       /* [T][dh] */
                     gsize         tokens,
                     gsize         dh,
                     gboolean      causal,
                     double        c2)
{
  double min = 1.0;

  for (gsize t = 0; t < tokens; t++)
    {
      double own = dot (y + t * dh, y + t * dh, dh);
      gsize keys = causal ? t + 1 : tokens;
      gboolean leads = TRUE;
      double others = 0.0;

      for (gsize s = 0; s < keys && leads; s++)
        {
          double gap = own - dot (y + t * dh, y + s * dh, dh);

          if (s == t)
            continue;
          leads = gap > 0.0;
          others += exp (-c2 * gap / sqrt ((double) dh));
        }

      if (leads)
        min = MIN (min, 1.0 / (1.0 + others));
    }

  return min;
}

/* Projects the head's first dh input features, centred on the current
 * tokens' mean through the biases, into both its queries and its keys,
 * with q_t·k_s = c² y_t·y_s. Centring makes the tokens spread around 0,
 * so that a token's own score more often leads its row. The scale c
 * doubles from the one that gives an average own score of 1 until each
 * token whose own score leads puts SELF_WEIGHT on itself. */
static void
fill_self_by_content (LsNetwork      *network,
                      gsize           index,
                      HeadParameters *p)
{
  const LsLayer *layer = ls_network_get_layer (network, index);
  gsize tokens = ls_layer_get_tokens (layer);
  g_autofree double *mean = g_new (double, p->dh);  /* [dh] */
  g_autofree double *y = new_centred_features (get_layer_input (network, index), tokens, p, mean);
  double norm = 0.0;
  double c2 = 1.0;

  for (gsize t = 0; t < tokens; t++)
    norm += dot (y + t * p->dh, y + t * p->dh, p->dh) / (double) tokens;
  if (norm > 0.0)
    c2 = MIN (sqrt ((double) p->dh) / norm, MAX_SELF_SCALE * MAX_SELF_SCALE);
  while (c2 < MAX_SELF_SCALE * MAX_SELF_SCALE &&
         get_min_self_weight (y, tokens, p->dh, layer->causal, c2) < SELF_WEIGHT)
    c2 *= 2.0;
  c2 = MIN (c2, MAX_SELF_SCALE * MAX_SELF_SCALE);

  set_head_projection (p, p->wq, p->bq, sqrt (c2), p->dh);
  set_head_projection (p, p->wk, p->bk, sqrt (c2), p->dh);
  for (gsize j = 0; j < p->dh; j++)
    {
      p->bq[p->offset + j] = (float) (-sqrt (c2) * mean[j]);
      p->bk[p->offset + j] = (float) (-sqrt (c2) * mean[j]);
    }
}

/* Returns the angle by which pair i of a width-d sinusoidal encoding
 * turns from one position to the next. */
static double
get_pair_frequency (gsize i,
                    gsize d)
{
  return 1.0 / pow (SINUSOIDAL_BASE, (double) (2 * i) / (double) d);
}

/* Pairs that turn by less than this angle per position, in radians,
 * hardly tell neighbours apart (1 − cos 0.25 = 0.03) but add the word
 * embedding's values in their features to every score, so they are left
 * out. */
#define MIN_PAIR_FREQUENCY 0.25

/* Returns the scale of the position projection. *pairs receives how many
 * of the head's first dh / 2 (sin, cos) pairs turn by at least
 * MIN_PAIR_FREQUENCY per position. With that scale, the scaled score of
 * the aligned position exceeds its neighbours' by PREVIOUS_SCORE_GAP on
 * the encoding alone. */
static double
get_position_scale (const HeadParameters *p,
                    gsize                *pairs)
{
  double gap = 0.0;

  *pairs = p->dh / 2;
  while (*pairs > 1 && get_pair_frequency (*pairs - 1, p->d) < MIN_PAIR_FREQUENCY)
    (*pairs)--;
  for (gsize i = 0; i < *pairs; i++)
    gap += 1.0 - cos (get_pair_frequency (i, p->d));

  return sqrt (PREVIOUS_SCORE_GAP * sqrt ((double) p->dh) / gap);
}

/* Writes the rotation by one position back into the head's query
 * columns. The encoding's pair i sits at features 2i and 2i + 1, and the
 * rotation sends (sin tω, cos tω) to (sin (t − 1)ω, cos (t − 1)ω), in x·W
 * form, for the pairs that get_position_scale() counts. The keys project
 * the same features unrotated, so q_t·k_s on the encoding
 * is c² Σ_i cos ((t − 1 − s)ω_i), which is largest at s = t − 1. */
/* NOTE: The queries and keys see the word embedding mixed with the
 * encoding, and no choice of wq and wk separates the two, so the pattern
 * holds only where the encoding dominates the token vectors. With the
 * embedding a tenth of the encoding's size, t − 1 leads every row (see
 * tests/test-attention-preset.c). On the sentiment example, whose
 * embedding rows are at most a third of the encoding's norm, it leads
 * two thirds of the rows of data/datasets/sentiment-test.tsv, with a
 * mean weight of 0.66 on t − 1. */
static void
fill_previous (HeadParameters *p)
{
  gsize pairs;
  double scale = get_position_scale (p, &pairs);

  set_head_projection (p, p->wk, p->bk, scale, 2 * pairs);
  clear_head_columns (p, p->wq, p->bq);
  for (gsize i = 0; i < pairs; i++)
    {
      double omega = get_pair_frequency (i, p->d);
      float c = (float) (scale * cos (omega));
      float s = (float) (scale * sin (omega));
      gsize sin_column = p->offset + 2 * i, cos_column = sin_column + 1;

      p->wq[(2 * i) * p->d + sin_column] = c;
      p->wq[(2 * i + 1) * p->d + sin_column] = -s;
      p->wq[(2 * i) * p->d + cos_column] = s;
      p->wq[(2 * i + 1) * p->d + cos_column] = c;
    }
}

/* Counts the tokens of the layer's current input whose own score leads
 * their row under the head parameters p, and returns in *min_weight the
 * smallest softmax weight that such a token puts on itself. */
static gsize
count_self_leads (LsNetwork            *network,
                  gsize                 index,
                  const HeadParameters *p,
                  double               *min_weight)
{
  const LsLayer *layer = ls_network_get_layer (network, index);
  const float *input = get_layer_input (network, index);
  gsize tokens = ls_layer_get_tokens (layer);
  g_autofree double *q = g_new0 (double, tokens * p->dh);  /* [T][dh] */
  g_autofree double *k = g_new0 (double, tokens * p->dh);  /* [T][dh] */
  gsize leads = 0;

  for (gsize t = 0; t < tokens; t++)
    for (gsize j = 0; j < p->dh; j++)
      {
        gsize column = p->offset + j;

        q[t * p->dh + j] = p->bq[column];
        k[t * p->dh + j] = p->bk[column];
        for (gsize i = 0; i < p->d; i++)
          {
            q[t * p->dh + j] += input[t * p->d + i] * (double) p->wq[i * p->d + column];
            k[t * p->dh + j] += input[t * p->d + i] * (double) p->wk[i * p->d + column];
          }
      }

  *min_weight = 1.0;
  for (gsize t = 0; t < tokens; t++)
    {
      double own = dot (q + t * p->dh, k + t * p->dh, p->dh);
      gsize keys = layer->causal ? t + 1 : tokens;
      double others = 0.0;
      gboolean lead = TRUE;

      for (gsize s = 0; s < keys && lead; s++)
        {
          double gap = (own - dot (q + t * p->dh, k + s * p->dh, p->dh)) / sqrt ((double) p->dh);

          if (s == t)
            continue;
          lead = gap > 0.0;
          others += exp (-gap);
        }

      if (lead)
        {
          leads++;
          *min_weight = MIN (*min_weight, 1.0 / (1.0 + others));
        }
    }

  return leads;
}

/* Makes each token attend to itself. Two projections can do it: of the
 * tokens' content (fill_self_by_content()), and, after a sinusoidal
 * encoding, of the position pairs that tell neighbours apart, unrotated,
 * so that q_t·k_s is largest at s = t. Word embeddings much larger than
 * the encoding spoil the second and small ones the first, so both are
 * tried on the current input and the one under which more tokens lead
 * their row, then the larger smallest weight, is kept. */
static void
fill_self (LsNetwork      *network,
           gsize           index,
           HeadParameters *p)
{
  HeadParameters by_position = *p;
  double content_weight, position_weight;
  gsize content_leads, position_leads, pairs;
  double scale;

  fill_self_by_content (network, index, p);
  if (!has_sinusoidal_encoding (network, index) || p->dh < 2)
    return;

  by_position.wq = g_memdup2 (p->wq, p->d * p->d * sizeof (float));
  by_position.wk = g_memdup2 (p->wk, p->d * p->d * sizeof (float));
  by_position.bq = g_memdup2 (p->bq, p->d * sizeof (float));
  by_position.bk = g_memdup2 (p->bk, p->d * sizeof (float));
  scale = get_position_scale (&by_position, &pairs);
  set_head_projection (&by_position, by_position.wq, by_position.bq, scale, 2 * pairs);
  set_head_projection (&by_position, by_position.wk, by_position.bk, scale, 2 * pairs);

  content_leads = count_self_leads (network, index, p, &content_weight);
  position_leads = count_self_leads (network, index, &by_position, &position_weight);
  if (position_leads > content_leads ||
      (position_leads == content_leads && position_weight > content_weight))
    {
      head_parameters_clear (p);
      *p = by_position;
    }
  else
    {
      head_parameters_clear (&by_position);
    }
}

/* Checks what the previous preset needs: a sinusoidal positional layer of
 * the same width somewhere before the attention layer, the last one
 * found counting, and at least one (sin, cos) pair per head. */
static gboolean
check_previous (LsNetwork  *network,
                gsize       index,
                GError    **error)
{
  const LsLayer *attention = ls_network_get_layer (network, index);
  gsize positional_index = 0;
  const LsLayer *positional = find_positional (network, index, &positional_index);

  if (positional == NULL)
    {
      g_set_error_literal (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                           _("Attend to previous token needs a positional encoding before this layer. "
                             "Insert a sinusoidal positional layer before it."));
      return FALSE;
    }

  if (positional->encoding != LS_POSITIONAL_SINUSOIDAL)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("Attend to previous token needs a sinusoidal positional encoding, but layer %zu "
                     "uses a learned one. Switch it to sinusoidal."),
                   positional_index + 1);
      return FALSE;
    }

  if (positional->units != attention->units)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("Attend to previous token needs the positional encoding of layer %zu at the "
                     "attention layer's width %zu, but it is %zu wide"),
                   positional_index + 1, attention->units, positional->units);
      return FALSE;
    }

  if (attention->units / attention->heads < 2)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("Attend to previous token needs at least 2 columns per head, but this layer "
                     "has %zu heads of %zu column. Use fewer heads."),
                   attention->heads, attention->units / attention->heads);
      return FALSE;
    }

  return TRUE;
}

/* Writes the four arrays as one change. The values are finite by
 * construction, so the engine accepts them. */
static gboolean
write_head_parameters (LsNetwork            *network,
                       gsize                 index,
                       const HeadParameters *p,
                       GError              **error)
{
  gboolean ok;

  ls_network_freeze_changes (network);
  ok = ls_network_set_attention_matrix (network, index, LS_ATTENTION_QUERY, p->wq, p->d * p->d, error) &&
       ls_network_set_attention_matrix (network, index, LS_ATTENTION_KEY, p->wk, p->d * p->d, error);
  for (gsize j = p->offset; ok && j < p->offset + p->dh; j++)
    ok = ls_network_set_attention_bias (network, index, LS_ATTENTION_QUERY, j, p->bq[j], error) &&
         ls_network_set_attention_bias (network, index, LS_ATTENTION_KEY, j, p->bk[j], error);
  ls_network_thaw_changes (network);

  return ok;
}

gboolean
ls_attention_apply_preset (LsNetwork         *network,
                           gsize              layer,
                           gsize              head,
                           LsAttentionPreset  preset,
                           GError           **error)
{
  const LsLayer *attention;
  HeadParameters p;
  gboolean ok;

  g_return_val_if_fail (LS_IS_NETWORK (network), FALSE);
  g_return_val_if_fail (layer < ls_network_get_n_layers (network), FALSE);
  g_return_val_if_fail (preset < LS_N_ATTENTION_PRESETS, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  attention = ls_network_get_layer (network, layer);
  g_return_val_if_fail (attention->kind == LS_LAYER_ATTENTION, FALSE);
  g_return_val_if_fail (head < attention->heads, FALSE);

  if (preset == LS_ATTENTION_PRESET_PREVIOUS && !check_previous (network, layer, error))
    return FALSE;

  head_parameters_init (&p, attention, head);
  if (preset == LS_ATTENTION_PRESET_UNIFORM)
    clear_head_columns (&p, p.wq, p.bq);
  else if (preset == LS_ATTENTION_PRESET_SELF)
    fill_self (network, layer, &p);
  else
    fill_previous (&p);

  ok = write_head_parameters (network, layer, &p, error);
  head_parameters_clear (&p);

  return ok;
}
