/* ls-network.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ls-error.h"
#include "ls-layer-private.h"
#include "ls-network.h"

struct _LsNetwork
{
  GObject parent_instance;

  char *title;
  char *description;

  LsShape input_shape;
  float *input;        /* [input size]; token ids for a text input */
  GStrv input_labels;  /* nullable, [input size] */

  /* Text input only: the vocabulary is NULL for a vector or image input. */
  LsVocabulary *vocabulary;
  gsize max_tokens;
  char *text;
  GStrv tokens;        /* [T], the text's tokens as ls_tokenize() splits them */

  GPtrArray *layers;   /* of LsLayer, in forward order */
  LsEvaluation evaluation;

  /* Seed for the next layer that an edit creates; larger than every seed
   * in use, so that a new layer never repeats another's weights. */
  guint64 next_seed;

  /* While freeze_count > 0, edits collect their LsChange flags in
   * pending_changes instead of running the forward pass. */
  guint freeze_count;
  LsChange pending_changes;
};

G_DEFINE_FINAL_TYPE (LsNetwork, ls_network, G_TYPE_OBJECT)

static gboolean replan (LsNetwork          *self,
                        GPtrArray          *layers,
                        guint               start,
                        guint               changed,
                        const LsLayerPlan  *change,
                        GError            **error);

enum {
  PROP_0,
  PROP_TITLE,
  PROP_DESCRIPTION,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
ls_network_finalize (GObject *object)
{
  LsNetwork *self = (LsNetwork *) object;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->input, g_free);
  g_clear_pointer (&self->input_labels, g_strfreev);
  g_clear_pointer (&self->vocabulary, ls_vocabulary_unref);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->tokens, g_strfreev);
  g_clear_pointer (&self->layers, g_ptr_array_unref);
  g_clear_pointer (&self->evaluation.name, g_free);
  g_clear_pointer (&self->evaluation.split, g_free);

  G_OBJECT_CLASS (ls_network_parent_class)->finalize (object);
}

static void
ls_network_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  LsNetwork *self = LS_NETWORK (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ls_network_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  LsNetwork *self = LS_NETWORK (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      ls_network_set_title (self, g_value_get_string (value));
      break;

    case PROP_DESCRIPTION:
      ls_network_set_description (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ls_network_class_init (LsNetworkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ls_network_finalize;
  object_class->get_property = ls_network_get_property;
  object_class->set_property = ls_network_set_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LsNetwork::changed:
   * @change: the #LsChange flags of the edit
   *
   * Emitted after every edit, once the forward pass has been rerun, so a
   * handler reads activations that match the new parameters.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
ls_network_init (LsNetwork *self)
{
  self->layers = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_layer_free);
  self->next_seed = 1;
}

/* Creates a network with a vector input of the given size, all zeros,
 * and no layers. */
LsNetwork *
ls_network_new (gsize inputs)
{
  LsShape shape;

  ls_shape_init_1d (&shape, inputs);

  return ls_network_new_with_shape (&shape);
}

/* Creates a network whose input has the given shape, [n] for a vector or
 * [channels, height, width] for an image, all zeros, and no layers. */
LsNetwork *
ls_network_new_with_shape (const LsShape *input_shape)
{
  LsNetwork *self;
  gsize size;

  g_return_val_if_fail (input_shape != NULL, NULL);
  g_return_val_if_fail (input_shape->rank == 1 || input_shape->rank == 3, NULL);
  size = ls_shape_get_size (input_shape);
  g_return_val_if_fail (size > 0 && size <= LS_MAX_TENSOR_SIZE, NULL);

  self = g_object_new (LS_TYPE_NETWORK, NULL);
  self->input_shape = *input_shape;
  self->input = g_new0 (float, size);

  return self;
}

/* Creates a network whose input is text, split into at most max_tokens
 * tokens (1 to LS_MAX_TOKENS) and looked up in vocabulary, with no
 * layers. Returns NULL, with the reason in error, when text is not a
 * valid input (see ls_network_set_text()). */
LsNetwork *
ls_network_new_with_tokens (LsVocabulary  *vocabulary,
                            gsize          max_tokens,
                            const char    *text,
                            GError       **error)
{
  g_autoptr(LsNetwork) self = NULL;

  g_return_val_if_fail (vocabulary != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (max_tokens == 0 || max_tokens > LS_MAX_TOKENS)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("The maximum number of tokens must be between 1 and %d, not %zu"),
                   LS_MAX_TOKENS, max_tokens);
      return NULL;
    }

  self = g_object_new (LS_TYPE_NETWORK, NULL);
  self->vocabulary = ls_vocabulary_ref (vocabulary);
  self->max_tokens = max_tokens;
  ls_shape_init_1d (&self->input_shape, 0);
  if (!ls_network_set_text (self, text, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* Replaces *str with a copy of new_str; returns whether it differed.
 * g_set_str() does this from GLib 2.76 on. */
static gboolean
replace_string (char       **str,
                const char  *new_str)
{
  if (g_strcmp0 (*str, new_str) == 0)
    return FALSE;

  g_free (*str);
  *str = g_strdup (new_str);

  return TRUE;
}

static void
emit_changed (LsNetwork *self,
              LsChange   change)
{
  if (self->freeze_count > 0)
    {
      self->pending_changes |= change;
      return;
    }

  if (change & (LS_CHANGE_VALUES | LS_CHANGE_STRUCTURE))
    ls_network_forward (self);

  g_signal_emit (self, signals[CHANGED], 0, (guint) change);
}

/* Holds back the forward pass and the LsNetwork::changed signal until
 * the matching ls_network_thaw_changes(), so that building a network of
 * n layers runs one forward pass instead of n. Calls nest. */
void
ls_network_freeze_changes (LsNetwork *self)
{
  g_return_if_fail (LS_IS_NETWORK (self));

  self->freeze_count++;
}

/* Runs the forward pass and emits one LsNetwork::changed with every
 * change made since the outermost ls_network_freeze_changes(). */
void
ls_network_thaw_changes (LsNetwork *self)
{
  LsChange change;

  g_return_if_fail (LS_IS_NETWORK (self));
  g_return_if_fail (self->freeze_count > 0);

  if (--self->freeze_count > 0 || self->pending_changes == 0)
    return;

  change = self->pending_changes;
  self->pending_changes = 0;
  emit_changed (self, change);
}

/* Returns the dataset record, whose name is NULL when there is none. */
const LsEvaluation *
ls_network_get_evaluation (LsNetwork *self)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), NULL);

  return &self->evaluation;
}

/* Sets or, with NULL, clears the dataset record. */
void
ls_network_set_evaluation (LsNetwork          *self,
                           const LsEvaluation *evaluation)
{
  g_return_if_fail (LS_IS_NETWORK (self));
  g_return_if_fail (evaluation == NULL || evaluation->correct <= evaluation->samples);

  g_clear_pointer (&self->evaluation.name, g_free);
  g_clear_pointer (&self->evaluation.split, g_free);
  self->evaluation = (LsEvaluation) { 0 };
  if (evaluation != NULL && evaluation->name != NULL)
    {
      self->evaluation = *evaluation;
      self->evaluation.name = g_strdup (evaluation->name);
      self->evaluation.split = g_strdup (evaluation->split);
    }
  emit_changed (self, LS_CHANGE_METADATA);
}

const char *
ls_network_get_title (LsNetwork *self)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), NULL);

  return self->title;
}

void
ls_network_set_title (LsNetwork  *self,
                      const char *title)
{
  g_return_if_fail (LS_IS_NETWORK (self));

  if (replace_string (&self->title, title))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
      emit_changed (self, LS_CHANGE_METADATA);
    }
}

const char *
ls_network_get_description (LsNetwork *self)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), NULL);

  return self->description;
}

void
ls_network_set_description (LsNetwork  *self,
                            const char *description)
{
  g_return_if_fail (LS_IS_NETWORK (self));

  if (replace_string (&self->description, description))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
      emit_changed (self, LS_CHANGE_METADATA);
    }
}

const LsShape *
ls_network_get_input_shape (LsNetwork *self)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), NULL);

  return &self->input_shape;
}

gsize
ls_network_get_input_size (LsNetwork *self)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), 0);

  return ls_shape_get_size (&self->input_shape);
}

const float *
ls_network_get_input (LsNetwork *self)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), NULL);

  return self->input;
}

/* Returns the label of an input, or NULL when it has none. The inputs
 * of a text input are its tokens. */
const char *
ls_network_get_input_label (LsNetwork *self,
                            gsize      index)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), NULL);

  if (self->tokens != NULL)
    return index < self->input_shape.dims[0] ? self->tokens[index] : NULL;

  if (self->input_labels == NULL || index >= g_strv_length (self->input_labels))
    return NULL;

  return self->input_labels[index];
}

void
ls_network_set_input_labels (LsNetwork          *self,
                             const char * const *labels)
{
  g_return_if_fail (LS_IS_NETWORK (self));

  g_strfreev (self->input_labels);
  self->input_labels = g_strdupv ((char **) labels);
  emit_changed (self, LS_CHANGE_METADATA);
}

static gboolean
check_finite (float        value,
              const char  *what,
              GError     **error)
{
  if (isfinite (value))
    return TRUE;

  g_set_error (error, LS_ERROR, LS_ERROR_INVALID_VALUE,
               _("%s must be a finite number, not %g"), what, (double) value);
  return FALSE;
}

/* Writes one input value or parameter as an edit. It checks that value
 * is finite, naming it as `what` when it is not, and reruns the forward
 * pass only when the value changes. */
static gboolean
set_parameter (LsNetwork   *self,
               float       *parameter,
               float        value,
               const char  *what,
               GError     **error)
{
  if (!check_finite (value, what, error))
    return FALSE;

  if (*parameter == value)
    return TRUE;

  *parameter = value;
  emit_changed (self, LS_CHANGE_VALUES);

  return TRUE;
}

/* Replaces every input value. Nothing changes unless all n_values are
 * finite and n_values is the input size. */
gboolean
ls_network_set_input (LsNetwork    *self,
                      const float  *values,
                      gsize         n_values,
                      GError      **error)
{
  gsize size;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (self->vocabulary == NULL, FALSE);
  g_return_val_if_fail (values != NULL || n_values == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  size = ls_network_get_input_size (self);
  if (n_values != size)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("The network takes %zu input values, but %zu were given"),
                   size, n_values);
      return FALSE;
    }

  for (gsize i = 0; i < n_values; i++)
    if (!check_finite (values[i], _("An input value"), error))
      return FALSE;

  memcpy (self->input, values, size * sizeof (float));
  emit_changed (self, LS_CHANGE_VALUES);

  return TRUE;
}

gboolean
ls_network_set_input_value (LsNetwork  *self,
                            gsize       index,
                            float       value,
                            GError    **error)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (self->vocabulary == NULL, FALSE);
  g_return_val_if_fail (index < ls_network_get_input_size (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return set_parameter (self, &self->input[index], value, _("An input value"), error);
}

gboolean
ls_network_has_token_input (LsNetwork *self)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);

  return self->vocabulary != NULL;
}

/* Returns the vocabulary of a text input, or NULL for another input. */
LsVocabulary *
ls_network_get_vocabulary (LsNetwork *self)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), NULL);

  return self->vocabulary;
}

gsize
ls_network_get_max_tokens (LsNetwork *self)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), 0);

  return self->max_tokens;
}

/* Returns the text of a text input, or NULL for another input. */
const char *
ls_network_get_text (LsNetwork *self)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), NULL);

  return self->text;
}

/* Returns the number of tokens T of a text input, or 0 for another input. */
gsize
ls_network_get_n_tokens (LsNetwork *self)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), 0);

  return self->vocabulary != NULL ? self->input_shape.dims[0] : 0;
}

/* Returns a token as the text has it, lowercased, which differs from its
 * vocabulary word when the word is unknown and maps to [UNK]. */
const char *
ls_network_get_token (LsNetwork *self,
                      gsize      index)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), NULL);
  g_return_val_if_fail (index < ls_network_get_n_tokens (self), NULL);

  return self->tokens[index];
}

gsize
ls_network_get_token_id (LsNetwork *self,
                         gsize      index)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), 0);
  g_return_val_if_fail (index < ls_network_get_n_tokens (self), 0);

  return (gsize) self->input[index];
}

/* Splits text into tokens and checks their count against the limits. */
static GStrv
tokenize_text (LsNetwork   *self,
               const char  *text,
               GError     **error)
{
  g_auto(GStrv) tokens = NULL;
  gsize n_tokens;

  if (strlen (text) > LS_MAX_TEXT_LENGTH)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("The text is %zu bytes long, more than the maximum of %d; shorten it"),
                   strlen (text), LS_MAX_TEXT_LENGTH);
      return NULL;
    }

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, LS_ERROR, LS_ERROR_INVALID_VALUE,
                           _("The text is not valid UTF-8"));
      return NULL;
    }

  tokens = ls_tokenize (text);
  n_tokens = g_strv_length (tokens);
  if (n_tokens == 0)
    {
      g_set_error_literal (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                           _("The text has no tokens; type at least one word"));
      return NULL;
    }

  if (n_tokens > self->max_tokens)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("The text has %zu tokens, more than the maximum of %zu; shorten it"),
                   n_tokens, self->max_tokens);
      return NULL;
    }

  return g_steal_pointer (&tokens);
}

/* Replaces the text of a text input and reruns the forward pass. When
 * the number of tokens changes, every layer up to token pooling changes
 * shape, and the change is LS_CHANGE_STRUCTURE. Nothing changes when
 * the text is not valid UTF-8, has no tokens, has more than the maximum,
 * or when a layer cannot take that many tokens. */
gboolean
ls_network_set_text (LsNetwork   *self,
                     const char  *text,
                     GError     **error)
{
  g_auto(GStrv) tokens = NULL;
  LsShape old_shape = self->input_shape;
  gsize n_tokens;
  LsChange change;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (self->vocabulary != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  tokens = tokenize_text (self, text, error);
  if (tokens == NULL)
    return FALSE;

  n_tokens = g_strv_length (tokens);
  change = LS_CHANGE_VALUES | LS_CHANGE_METADATA;
  if (n_tokens != old_shape.dims[0])
    {
      ls_shape_init_1d (&self->input_shape, n_tokens);
      if (!replan (self, self->layers, 0, G_MAXUINT, NULL, error))
        {
          self->input_shape = old_shape;
          return FALSE;
        }

      g_free (self->input);
      self->input = g_new0 (float, n_tokens);
      change |= LS_CHANGE_STRUCTURE;
    }

  for (gsize t = 0; t < n_tokens; t++)
    self->input[t] = (float) ls_vocabulary_lookup (self->vocabulary, tokens[t]);

  g_strfreev (self->tokens);
  self->tokens = g_steal_pointer (&tokens);
  replace_string (&self->text, text);
  emit_changed (self, change);

  return TRUE;
}

gsize
ls_network_get_n_layers (LsNetwork *self)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), 0);

  return self->layers->len;
}

const LsLayer *
ls_network_get_layer (LsNetwork *self,
                      gsize      index)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), NULL);
  g_return_val_if_fail (index < self->layers->len, NULL);

  return g_ptr_array_index (self->layers, index);
}

/* Returns the last layer, or NULL while the network has none. */
const LsLayer *
ls_network_get_output_layer (LsNetwork *self)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), NULL);

  if (self->layers->len == 0)
    return NULL;

  return g_ptr_array_index (self->layers, self->layers->len - 1);
}

static gsize
get_layer_parameters_of (const LsLayer *layer)
{
  LsParameterCount count;

  ls_layer_get_parameter_count (layer, &count);

  return count.total;
}

static gboolean
check_layer_count (LsNetwork  *self,
                   GError    **error)
{
  if (self->layers->len < LS_MAX_LAYERS)
    return TRUE;

  g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
               _("A network can have at most %d layers"), LS_MAX_LAYERS);
  return FALSE;
}

/* Returns the shape of the tensor that layer index of layers receives. */
static const LsShape *
get_input_shape_in (LsNetwork *self,
                    GPtrArray *layers,
                    gsize      index)
{
  const LsLayer *previous;

  if (index == 0)
    return &self->input_shape;

  previous = g_ptr_array_index (layers, index - 1);

  return &previous->output_shape;
}

/* Checks the rules of a text input that a layer plan cannot see: an
 * embedding layer comes first, and only there, with one table row for
 * each word of the vocabulary. */
static gboolean
check_token_rules (LsNetwork          *self,
                   guint               index,
                   const LsLayerPlan  *plan,
                   GError            **error)
{
  gboolean is_embedding = plan->kind == LS_LAYER_EMBEDDING;

  if (self->vocabulary != NULL && index == 0 && !is_embedding)
    {
      g_set_error_literal (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                           _("A text input is a list of token ids, so the first layer must be "
                             "an embedding layer"));
      return FALSE;
    }

  if (is_embedding && (self->vocabulary == NULL || index != 0))
    {
      g_set_error_literal (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                           _("An embedding layer reads token ids, so it can only be the first "
                             "layer of a network with a text input"));
      return FALSE;
    }

  if (is_embedding && plan->rows != ls_vocabulary_get_size (self->vocabulary))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("The embedding table has %zu rows, but the vocabulary has %zu words; "
                     "give the table one row per word"),
                   plan->rows, ls_vocabulary_get_size (self->vocabulary));
      return FALSE;
    }

  return TRUE;
}

/* Works out the shapes of layers[start] onwards after an edit, where
 * layer `changed` (or none, when it is past the end) becomes *change
 * apart from its input shape, and checks every limit. Changes nothing:
 * plans[i] receives what layer i becomes, for each i from start on. On
 * failure the message names the layer. */
static gboolean
plan_layers (LsNetwork          *self,
             GPtrArray          *layers,
             guint               start,
             guint               changed,
             const LsLayerPlan  *change,
             LsLayerPlan        *plans,
             GError            **error)
{
  LsShape shape = *get_input_shape_in (self, layers, start);
  gsize total = 0;
  guint64 operations = 0;

  for (guint i = 0; i < layers->len; i++)
    {
      const LsLayer *layer = g_ptr_array_index (layers, i);
      LsLayerPlan *plan = &plans[i];
      LsShape output_shape;
      gsize parameters;

      if (i == changed)
        *plan = *change;
      else
        ls_layer_plan_init_from (plan, layer);

      if (i < start)
        {
          total += get_layer_parameters_of (layer);
          operations += ls_layer_get_operations (plan, &layer->output_shape);
          continue;
        }

      plan->input_shape = shape;
      if (!check_token_rules (self, i, plan, error) ||
          !ls_layer_plan (plan, &output_shape, &parameters, error))
        {
          g_prefix_error (error, _("Layer %u (%s): "), i + 1,
                          ls_layer_kind_get_display_name (layer->kind));
          return FALSE;
        }

      total += parameters;
      operations += ls_layer_get_operations (plan, &output_shape);
      shape = output_shape;
    }

  if (operations > LS_MAX_NETWORK_OPERATIONS)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("The network would need %llu multiply-adds per forward pass, "
                     "more than the maximum of %llu; use fewer filters, units or "
                     "features, smaller kernels, or a smaller input or shorter text"),
                   (unsigned long long) operations, (unsigned long long) LS_MAX_NETWORK_OPERATIONS);
      return FALSE;
    }

  if (total > LS_MAX_NETWORK_PARAMETERS)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("The network would have %zu parameters, more than the maximum of %u; "
                     "use fewer layers, units or filters, or smaller kernels"),
                   total, LS_MAX_NETWORK_PARAMETERS);
      return FALSE;
    }

  return TRUE;
}

/* Reshapes the layers whose plan differs from what they are. */
static void
apply_plans (GPtrArray         *layers,
             guint              start,
             const LsLayerPlan *plans)
{
  for (guint i = start; i < layers->len; i++)
    {
      LsLayer *layer = g_ptr_array_index (layers, i);
      LsLayerPlan current;

      ls_layer_plan_init_from (&current, layer);
      if (!ls_layer_plan_equal (&current, &plans[i]))
        ls_layer_reshape (layer, &plans[i]);
    }
}

/* Plans and applies an edit that makes layer `changed` *change, or that
 * changed the layers from start on (with changed past the end and change
 * NULL). Leaves everything as it was when the edit is impossible. */
static gboolean
replan (LsNetwork          *self,
        GPtrArray          *layers,
        guint               start,
        guint               changed,
        const LsLayerPlan  *change,
        GError            **error)
{
  g_autofree LsLayerPlan *plans = g_new0 (LsLayerPlan, MAX (layers->len, 1));

  if (!plan_layers (self, layers, start, changed, change, plans, error))
    return FALSE;

  apply_plans (layers, start, plans);

  return TRUE;
}

/* Plans an edit of one layer, described by a copy of its plan that the
 * caller changed, and applies it as a structure change, or leaves
 * everything as it was. */
static gboolean
replan_layer (LsNetwork          *self,
              guint               index,
              const LsLayerPlan  *change,
              GError            **error)
{
  if (!replan (self, self->layers, index, index, change, error))
    return FALSE;

  emit_changed (self, LS_CHANGE_STRUCTURE);

  return TRUE;
}

/* Inserts a layer at index, taking ownership of it, whether or not this
 * fails. Its input shape must be the one at index. */
static gboolean
insert_layer (LsNetwork  *self,
              gsize       index,
              LsLayer    *layer,
              GError    **error)
{
  g_autoptr(GPtrArray) layers = NULL;
  g_autoptr(LsLayer) owned = layer;

  if (layer == NULL || !check_layer_count (self, error))
    return FALSE;

  layers = g_ptr_array_copy (self->layers, NULL, NULL);
  g_ptr_array_set_free_func (layers, NULL);
  g_ptr_array_insert (layers, index, layer);
  if (!replan (self, layers, index, G_MAXUINT, NULL, error))
    return FALSE;

  self->next_seed = MAX (self->next_seed, layer->init.seed + 1);
  g_ptr_array_insert (self->layers, index, g_steal_pointer (&owned));
  emit_changed (self, LS_CHANGE_STRUCTURE);

  return TRUE;
}

/* Inserts a layer that a constructor made, or names the layer in the
 * constructor's error when it returned NULL. */
static gboolean
insert_new_layer (LsNetwork    *self,
                  gsize         index,
                  LsLayerKind   kind,
                  LsLayer      *layer,
                  GError      **error)
{
  if (layer == NULL)
    {
      g_prefix_error (error, _("Layer %u (%s): "), (guint) index + 1,
                      ls_layer_kind_get_display_name (kind));
      return FALSE;
    }

  return insert_layer (self, index, layer, error);
}

static LsInit
next_init (LsNetwork    *self,
           LsActivation  activation)
{
  LsInit init;

  init.scheme = ls_activation_prefers_he_init (activation) ? LS_INIT_HE : LS_INIT_XAVIER;
  init.seed = self->next_seed++;

  return init;
}

/* Appends a layer, taking ownership of it, whether or not this fails.
 * Its input must have the current output shape, except that a dense or
 * flatten layer may take an image as the same number of values. A dense
 * layer on a token sequence must have been made for it, as
 * ls_layer_new_dense_on() does. */
gboolean
ls_network_append_layer (LsNetwork  *self,
                         LsLayer    *layer,
                         GError    **error)
{
  g_autoptr(LsLayer) owned = layer;
  const LsShape *expected;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (layer != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  expected = get_input_shape_in (self, self->layers, self->layers->len);
  if (!ls_shape_equal (&layer->input_shape, expected))
    {
      gboolean reads_flat = (layer->kind == LS_LAYER_DENSE || layer->kind == LS_LAYER_FLATTEN) &&
                            expected->rank != 2;

      if (!reads_flat || ls_layer_get_inputs (layer) != ls_shape_get_size (expected))
        {
          g_autofree char *takes = ls_shape_to_string (&layer->input_shape);
          g_autofree char *gets = ls_shape_to_string (expected);

          g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                       _("Layer %u (%s) takes %s, but the layer before it gives %s"),
                       self->layers->len + 1, ls_layer_kind_get_display_name (layer->kind),
                       takes, gets);
          return FALSE;
        }
      layer->input_shape = *expected;
    }

  return insert_layer (self, self->layers->len, g_steal_pointer (&owned), error);
}

/* Plans a new layer at index on its own, so that a size over a limit is
 * reported before its weights are allocated. */
static gboolean
check_plan (LsNetwork    *self,
            gsize         index,
            LsLayerPlan  *plan,
            GError      **error)
{
  LsShape output_shape;
  gsize parameters;

  if (check_token_rules (self, index, plan, error) &&
      ls_layer_plan (plan, &output_shape, &parameters, error))
    return TRUE;

  g_prefix_error (error, _("Layer %u (%s): "), (guint) index + 1,
                  ls_layer_kind_get_display_name (plan->kind));
  return FALSE;
}

/* Inserts a dense layer at index (0 is the first layer; the layer count
 * appends). Its weights come from a fresh seed with the scaling that
 * suits its activation; the next layer keeps the weights that still fit. */
gboolean
ls_network_insert_dense (LsNetwork     *self,
                         gsize          index,
                         gsize          units,
                         LsActivation   activation,
                         GError       **error)
{
  LsLayerPlan plan = { .kind = LS_LAYER_DENSE, .units = units };
  LsLayer *layer;
  LsInit init;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index <= self->layers->len, FALSE);
  g_return_val_if_fail (activation < LS_N_ACTIVATIONS, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Check the size before allocating a possibly huge weight matrix. */
  plan.input_shape = *get_input_shape_in (self, self->layers, index);
  if (!check_plan (self, index, &plan, error))
    return FALSE;

  init = next_init (self, activation);
  layer = ls_layer_new_dense_on (&plan.input_shape, units, activation, FALSE, &init, NULL);

  return insert_layer (self, index, layer, error);
}

/* Inserts a conv2d layer at index, with weights from a fresh seed. */
gboolean
ls_network_insert_conv2d (LsNetwork       *self,
                          gsize            index,
                          gsize            filters,
                          const LsWindow  *window,
                          LsActivation     activation,
                          GError         **error)
{
  LsLayerPlan plan = { .kind = LS_LAYER_CONV2D, .units = filters };
  LsInit init;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index <= self->layers->len, FALSE);
  g_return_val_if_fail (window != NULL, FALSE);
  g_return_val_if_fail (activation < LS_N_ACTIVATIONS, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Check the filter count, window and sizes before allocating the
   * weights, which could otherwise be too large to allocate. */
  plan.input_shape = *get_input_shape_in (self, self->layers, index);
  plan.window = *window;
  if (!check_plan (self, index, &plan, error))
    return FALSE;

  init = next_init (self, activation);

  return insert_layer (self, index,
                       ls_layer_new_conv2d (&plan.input_shape, filters, window, activation, &init, NULL),
                       error);
}

/* Inserts a max or average pooling layer at index. */
gboolean
ls_network_insert_pool2d (LsNetwork       *self,
                          gsize            index,
                          LsLayerKind      kind,
                          const LsWindow  *window,
                          GError         **error)
{
  LsLayer *layer;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index <= self->layers->len, FALSE);
  g_return_val_if_fail (kind == LS_LAYER_MAXPOOL2D || kind == LS_LAYER_AVGPOOL2D, FALSE);
  g_return_val_if_fail (window != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  layer = ls_layer_new_pool2d (kind, get_input_shape_in (self, self->layers, index), window, error);

  return insert_new_layer (self, index, kind, layer, error);
}

gboolean
ls_network_insert_flatten (LsNetwork  *self,
                           gsize       index,
                           GError    **error)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index <= self->layers->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return insert_layer (self, index,
                       ls_layer_new_flatten (get_input_shape_in (self, self->layers, index)),
                       error);
}

/* Removes a layer. The last remaining layer cannot be removed, nor one
 * whose removal would give a later layer an input it cannot take. */
gboolean
ls_network_remove_layer (LsNetwork  *self,
                         gsize       index,
                         GError    **error)
{
  g_autoptr(GPtrArray) layers = NULL;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index < self->layers->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->layers->len == 1)
    {
      g_set_error_literal (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                           _("A network needs at least one layer, so its only layer cannot be removed"));
      return FALSE;
    }

  layers = g_ptr_array_copy (self->layers, NULL, NULL);
  g_ptr_array_set_free_func (layers, NULL);
  g_ptr_array_remove_index (layers, index);
  if (!replan (self, layers, index, G_MAXUINT, NULL, error))
    return FALSE;

  g_ptr_array_remove_index (self->layers, index);
  emit_changed (self, LS_CHANGE_STRUCTURE);

  return TRUE;
}

/* Changes the unit count of a dense layer, the filter count of a conv2d
 * layer or the width of an embedding, keeping the weights of this and
 * later layers that still fit. Labels past the new count go. */
gboolean
ls_network_set_units (LsNetwork  *self,
                      gsize       index,
                      gsize       units,
                      GError    **error)
{
  LsLayerPlan plan;
  LsLayer *layer;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index < self->layers->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  layer = g_ptr_array_index (self->layers, index);
  g_return_val_if_fail (ls_layer_has_parameters (layer) || layer->kind == LS_LAYER_EMBEDDING, FALSE);
  if (layer->units == units)
    return TRUE;

  ls_layer_plan_init_from (&plan, layer);
  plan.units = units;
  return replan_layer (self, index, &plan, error);
}

/* Changes the window of a conv2d or pooling layer. A conv2d layer keeps
 * the kernel weights that still fit, aligned at the top left. */
gboolean
ls_network_set_window (LsNetwork       *self,
                       gsize            index,
                       const LsWindow  *window,
                       GError         **error)
{
  LsLayerPlan plan;
  LsLayer *layer;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index < self->layers->len, FALSE);
  g_return_val_if_fail (window != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  layer = g_ptr_array_index (self->layers, index);
  g_return_val_if_fail (ls_layer_is_spatial (layer), FALSE);
  if (ls_window_equal (&layer->window, window))
    return TRUE;

  ls_layer_plan_init_from (&plan, layer);
  plan.window = *window;
  return replan_layer (self, index, &plan, error);
}

void
ls_network_set_activation (LsNetwork    *self,
                           gsize         index,
                           LsActivation  activation)
{
  LsLayer *layer;

  g_return_if_fail (LS_IS_NETWORK (self));
  g_return_if_fail (index < self->layers->len);
  g_return_if_fail (activation < LS_N_ACTIVATIONS);

  layer = g_ptr_array_index (self->layers, index);
  if (layer->activation == activation)
    return;

  layer->activation = activation;
  emit_changed (self, LS_CHANGE_STRUCTURE);
}

void
ls_network_set_layer_name (LsNetwork  *self,
                           gsize       index,
                           const char *name)
{
  LsLayer *layer;

  g_return_if_fail (LS_IS_NETWORK (self));
  g_return_if_fail (index < self->layers->len);

  layer = g_ptr_array_index (self->layers, index);
  if (replace_string (&layer->name, name))
    emit_changed (self, LS_CHANGE_METADATA);
}

/* Sets the output labels of a layer. labels may be NULL or shorter than
 * the unit count, and views show units without a label by number. */
void
ls_network_set_layer_labels (LsNetwork          *self,
                             gsize               index,
                             const char * const *labels)
{
  LsLayer *layer;

  g_return_if_fail (LS_IS_NETWORK (self));
  g_return_if_fail (index < self->layers->len);

  layer = g_ptr_array_index (self->layers, index);
  g_strfreev (layer->labels);
  layer->labels = g_strdupv ((char **) labels);
  emit_changed (self, LS_CHANGE_METADATA);
}

gboolean
ls_network_set_weight (LsNetwork  *self,
                       gsize       index,
                       gsize       input,
                       gsize       unit,
                       float       value,
                       GError    **error)
{
  LsLayer *layer;
  float *weight;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index < self->layers->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  layer = g_ptr_array_index (self->layers, index);
  g_return_val_if_fail (layer->kind == LS_LAYER_DENSE || layer->kind == LS_LAYER_LAYERNORM, FALSE);
  g_return_val_if_fail (input < (layer->kind == LS_LAYER_DENSE ? ls_layer_get_inputs (layer) : 1), FALSE);
  g_return_val_if_fail (unit < layer->units, FALSE);

  weight = &layer->weights[input * layer->units + unit];

  return set_parameter (self, weight, value, _("A weight"), error);
}

static LsLayer *
get_conv2d_layer (LsNetwork *self,
                  gsize      index,
                  gsize      filter,
                  gsize      channel)
{
  LsLayer *layer = g_ptr_array_index (self->layers, index);

  g_return_val_if_fail (layer->kind == LS_LAYER_CONV2D, NULL);
  g_return_val_if_fail (filter < layer->units, NULL);
  g_return_val_if_fail (channel < layer->input_shape.dims[0], NULL);

  return layer;
}

/* Sets one weight of the kernel that a conv2d filter applies to one
 * input channel. */
gboolean
ls_network_set_kernel_weight (LsNetwork  *self,
                              gsize       index,
                              gsize       filter,
                              gsize       channel,
                              gsize       row,
                              gsize       column,
                              float       value,
                              GError    **error)
{
  LsLayer *layer;
  float *weight;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index < self->layers->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  layer = get_conv2d_layer (self, index, filter, channel);
  g_return_val_if_fail (layer != NULL, FALSE);
  g_return_val_if_fail (row < layer->window.kernel[0] && column < layer->window.kernel[1], FALSE);

  weight = (float *) ls_layer_get_kernel (layer, filter, channel) + row * layer->window.kernel[1] + column;

  return set_parameter (self, weight, value, _("A weight"), error);
}

/* Replaces a whole [kh][kw] kernel at once, as a preset does, with one
 * forward pass. Nothing changes unless every value is finite. */
gboolean
ls_network_set_kernel (LsNetwork    *self,
                       gsize         index,
                       gsize         filter,
                       gsize         channel,
                       const float  *values,
                       gsize         n_values,
                       GError      **error)
{
  LsLayer *layer;
  gsize size;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index < self->layers->len, FALSE);
  g_return_val_if_fail (values != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  layer = get_conv2d_layer (self, index, filter, channel);
  g_return_val_if_fail (layer != NULL, FALSE);

  size = ls_layer_get_kernel_size (layer);
  if (n_values != size)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("The kernel has %zu×%zu = %zu weights, but %zu were given"),
                   layer->window.kernel[0], layer->window.kernel[1], size, n_values);
      return FALSE;
    }

  for (gsize i = 0; i < n_values; i++)
    if (!check_finite (values[i], _("A weight"), error))
      return FALSE;

  memcpy ((float *) ls_layer_get_kernel (layer, filter, channel), values, size * sizeof (float));
  emit_changed (self, LS_CHANGE_VALUES);

  return TRUE;
}

gboolean
ls_network_set_bias (LsNetwork  *self,
                     gsize       index,
                     gsize       unit,
                     float       value,
                     GError    **error)
{
  LsLayer *layer;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index < self->layers->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  layer = g_ptr_array_index (self->layers, index);
  g_return_val_if_fail (ls_layer_has_parameters (layer) || layer->kind == LS_LAYER_LAYERNORM, FALSE);
  g_return_val_if_fail (unit < layer->units, FALSE);

  return set_parameter (self, &layer->bias[unit], value, _("A bias"), error);
}

/* Replaces all weights and biases of one layer, as training does. The
 * counts must be the layer's and every value finite; otherwise nothing
 * changes. */
gboolean
ls_network_set_layer_parameters (LsNetwork    *self,
                                 gsize         index,
                                 const float  *weights,
                                 gsize         n_weights,
                                 const float  *bias,
                                 gsize         n_bias,
                                 GError      **error)
{
  LsLayer *layer;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index < self->layers->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  layer = g_ptr_array_index (self->layers, index);
  if (n_weights != ls_layer_get_n_weights (layer) || n_bias != ls_layer_get_n_biases (layer))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("Layer %zu has %zu weights and %zu biases, not %zu and %zu"),
                   index + 1, ls_layer_get_n_weights (layer), ls_layer_get_n_biases (layer),
                   n_weights, n_bias);
      return FALSE;
    }

  for (gsize i = 0; i < n_weights; i++)
    if (!check_finite (weights[i], _("A weight"), error))
      return FALSE;
  for (gsize i = 0; i < n_bias; i++)
    if (!check_finite (bias[i], _("A bias"), error))
      return FALSE;

  if ((n_weights == 0 || memcmp (layer->weights, weights, n_weights * sizeof (float)) == 0) &&
      (n_bias == 0 || memcmp (layer->bias, bias, n_bias * sizeof (float)) == 0))
    return TRUE;

  if (n_weights > 0)
    memcpy (layer->weights, weights, n_weights * sizeof (float));
  if (n_bias > 0)
    memcpy (layer->bias, bias, n_bias * sizeof (float));
  emit_changed (self, LS_CHANGE_VALUES);

  return TRUE;
}

/* Inserts a positional layer at index. A learned one gets a table of
 * the network's maximum number of tokens rows, drawn from a fresh seed. */
gboolean
ls_network_insert_positional (LsNetwork             *self,
                              gsize                  index,
                              LsPositionalEncoding   encoding,
                              GError               **error)
{
  LsLayer *layer;
  LsInit init;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index <= self->layers->len, FALSE);
  g_return_val_if_fail (encoding < LS_N_POSITIONAL_ENCODINGS, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  init = next_init (self, LS_ACTIVATION_IDENTITY);
  layer = ls_layer_new_positional (get_input_shape_in (self, self->layers, index), encoding,
                                   MAX (self->max_tokens, 1), &init, error);

  return insert_new_layer (self, index, LS_LAYER_POSITIONAL, layer, error);
}

/* Inserts a self-attention layer at index, with weights from a fresh
 * seed and zero biases. */
gboolean
ls_network_insert_attention (LsNetwork  *self,
                             gsize       index,
                             gsize       heads,
                             gboolean    causal,
                             gboolean    residual,
                             GError    **error)
{
  LsLayerPlan plan = { .kind = LS_LAYER_ATTENTION, .heads = heads, .residual = residual };
  LsInit init;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index <= self->layers->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  plan.input_shape = *get_input_shape_in (self, self->layers, index);
  if (!check_plan (self, index, &plan, error))
    return FALSE;

  init = next_init (self, LS_ACTIVATION_IDENTITY);

  return insert_layer (self, index,
                       ls_layer_new_attention (&plan.input_shape, heads, causal, residual, &init, NULL),
                       error);
}

gboolean
ls_network_insert_layernorm (LsNetwork  *self,
                             gsize       index,
                             GError    **error)
{
  LsLayer *layer;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index <= self->layers->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  layer = ls_layer_new_layernorm (get_input_shape_in (self, self->layers, index), 1e-5f, error);

  return insert_new_layer (self, index, LS_LAYER_LAYERNORM, layer, error);
}

gboolean
ls_network_insert_pool_tokens (LsNetwork       *self,
                               gsize            index,
                               LsTokenPooling   pooling,
                               GError         **error)
{
  LsLayer *layer;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index <= self->layers->len, FALSE);
  g_return_val_if_fail (pooling < LS_N_TOKEN_POOLINGS, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  layer = ls_layer_new_pool_tokens (get_input_shape_in (self, self->layers, index), pooling, error);

  return insert_new_layer (self, index, LS_LAYER_POOL_TOKENS, layer, error);
}

static LsLayer *
get_layer_of_kind (LsNetwork   *self,
                   gsize        index,
                   LsLayerKind  kind)
{
  LsLayer *layer;

  g_return_val_if_fail (index < self->layers->len, NULL);

  layer = g_ptr_array_index (self->layers, index);
  g_return_val_if_fail (layer->kind == kind, NULL);

  return layer;
}

/* Changes the number of heads of an attention layer, which must divide
 * its width d. The weights stay as they are; only their split changes. */
gboolean
ls_network_set_heads (LsNetwork  *self,
                      gsize       index,
                      gsize       heads,
                      GError    **error)
{
  LsLayerPlan plan;
  LsLayer *layer;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  layer = get_layer_of_kind (self, index, LS_LAYER_ATTENTION);
  g_return_val_if_fail (layer != NULL, FALSE);
  if (layer->heads == heads)
    return TRUE;

  ls_layer_plan_init_from (&plan, layer);
  plan.heads = heads;
  return replan_layer (self, index, &plan, error);
}

void
ls_network_set_causal (LsNetwork *self,
                       gsize      index,
                       gboolean   causal)
{
  LsLayer *layer;

  g_return_if_fail (LS_IS_NETWORK (self));

  layer = get_layer_of_kind (self, index, LS_LAYER_ATTENTION);
  g_return_if_fail (layer != NULL);
  if (layer->causal == !!causal)
    return;

  layer->causal = !!causal;
  emit_changed (self, LS_CHANGE_STRUCTURE);
}

/* Turns the residual connection of an attention or dense layer on or
 * off. A dense layer needs as many units as input features for it. */
gboolean
ls_network_set_residual (LsNetwork  *self,
                         gsize       index,
                         gboolean    residual,
                         GError    **error)
{
  LsLayerPlan plan;
  LsLayer *layer;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index < self->layers->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  layer = g_ptr_array_index (self->layers, index);
  g_return_val_if_fail (layer->kind == LS_LAYER_ATTENTION || layer->kind == LS_LAYER_DENSE, FALSE);
  if (layer->residual == !!residual)
    return TRUE;

  ls_layer_plan_init_from (&plan, layer);
  plan.residual = !!residual;
  return replan_layer (self, index, &plan, error);
}

void
ls_network_set_token_pooling (LsNetwork      *self,
                              gsize           index,
                              LsTokenPooling  pooling)
{
  LsLayer *layer;

  g_return_if_fail (LS_IS_NETWORK (self));
  g_return_if_fail (pooling < LS_N_TOKEN_POOLINGS);

  layer = get_layer_of_kind (self, index, LS_LAYER_POOL_TOKENS);
  g_return_if_fail (layer != NULL);
  if (layer->pooling == pooling)
    return;

  layer->pooling = pooling;
  emit_changed (self, LS_CHANGE_STRUCTURE);
}

gboolean
ls_network_set_layernorm_eps (LsNetwork  *self,
                              gsize       index,
                              float       eps,
                              GError    **error)
{
  LsLayer *layer;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  layer = get_layer_of_kind (self, index, LS_LAYER_LAYERNORM);
  g_return_val_if_fail (layer != NULL, FALSE);

  if (!(eps > 0.0f && eps <= 1.0f))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_VALUE,
                   _("The epsilon of a layer normalisation must be above 0 and at most 1, not %g"),
                   (double) eps);
      return FALSE;
    }

  if (layer->eps == eps)
    return TRUE;

  layer->eps = eps;
  emit_changed (self, LS_CHANGE_VALUES);

  return TRUE;
}

/* Sets wq, wk, wv or wo [row][column] of an attention layer. */
gboolean
ls_network_set_attention_weight (LsNetwork          *self,
                                 gsize               index,
                                 LsAttentionMatrix   matrix,
                                 gsize               row,
                                 gsize               column,
                                 float               value,
                                 GError            **error)
{
  LsLayer *layer;
  float *weight;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (matrix < LS_N_ATTENTION_MATRICES, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  layer = get_layer_of_kind (self, index, LS_LAYER_ATTENTION);
  g_return_val_if_fail (layer != NULL, FALSE);
  g_return_val_if_fail (row < layer->units && column < layer->units, FALSE);

  weight = &layer->weights[(matrix * layer->units + row) * layer->units + column];

  return set_parameter (self, weight, value, _("A weight"), error);
}

/* Replaces a whole [d][d] matrix of an attention layer, as one edit.
 * Nothing changes unless all d·d values are finite. */
gboolean
ls_network_set_attention_matrix (LsNetwork          *self,
                                 gsize               index,
                                 LsAttentionMatrix   matrix,
                                 const float        *values,
                                 gsize               n_values,
                                 GError            **error)
{
  LsLayer *layer;
  gsize n;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (matrix < LS_N_ATTENTION_MATRICES, FALSE);
  g_return_val_if_fail (values != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  layer = get_layer_of_kind (self, index, LS_LAYER_ATTENTION);
  g_return_val_if_fail (layer != NULL, FALSE);

  n = layer->units * layer->units;
  if (n_values != n)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("An attention matrix of this layer has %zu × %zu = %zu weights, but %zu were given"),
                   layer->units, layer->units, n, n_values);
      return FALSE;
    }

  for (gsize i = 0; i < n; i++)
    if (!check_finite (values[i], _("A weight"), error))
      return FALSE;

  memcpy (layer->weights + matrix * n, values, n * sizeof (float));
  emit_changed (self, LS_CHANGE_VALUES);

  return TRUE;
}

/* Sets bq, bk, bv or bo [column] of an attention layer. */
gboolean
ls_network_set_attention_bias (LsNetwork          *self,
                               gsize               index,
                               LsAttentionMatrix   matrix,
                               gsize               column,
                               float               value,
                               GError            **error)
{
  LsLayer *layer;
  float *bias;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (matrix < LS_N_ATTENTION_MATRICES, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  layer = get_layer_of_kind (self, index, LS_LAYER_ATTENTION);
  g_return_val_if_fail (layer != NULL, FALSE);
  g_return_val_if_fail (column < layer->units, FALSE);

  bias = &layer->bias[matrix * layer->units + column];

  return set_parameter (self, bias, value, _("A bias"), error);
}

/* Sets one value of the table [rows][d] of an embedding or learned
 * positional layer. */
gboolean
ls_network_set_table_value (LsNetwork  *self,
                            gsize       index,
                            gsize       row,
                            gsize       column,
                            float       value,
                            GError    **error)
{
  LsLayer *layer;
  float *entry;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index < self->layers->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  layer = g_ptr_array_index (self->layers, index);
  g_return_val_if_fail (layer->kind == LS_LAYER_EMBEDDING ||
                        (layer->kind == LS_LAYER_POSITIONAL && layer->encoding == LS_POSITIONAL_LEARNED),
                        FALSE);
  g_return_val_if_fail (row < layer->rows && column < layer->units, FALSE);

  entry = &layer->weights[row * layer->units + column];

  return set_parameter (self, entry, value, _("A weight"), error);
}

/* Returns the shape of the tensor that layer index receives. With index
 * the layer count, it is the shape of the network's output, so index 0 to
 * the layer count walks every tensor a view draws as a column. */
const LsShape *
ls_network_get_layer_input_shape (LsNetwork *self,
                                  gsize      index)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), NULL);
  g_return_val_if_fail (index <= self->layers->len, NULL);

  return get_input_shape_in (self, self->layers, index);
}

/* Finds the region of the network's input that an output region of
 * layer index depends on: its receptive field. Returns FALSE, with the
 * whole input in *input, when a dense or flatten layer on the way mixes
 * every position. */
gboolean
ls_network_get_input_region (LsNetwork      *self,
                             gsize           index,
                             const LsRegion *output,
                             LsRegion       *input)
{
  LsRegion region;

  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (index < self->layers->len, FALSE);
  g_return_val_if_fail (output != NULL && input != NULL, FALSE);

  region = *output;
  for (gsize i = index + 1; i-- > 0;)
    {
      const LsLayer *layer = g_ptr_array_index (self->layers, i);

      if (!ls_layer_is_spatial (layer))
        {
          const LsShape *shape = &self->input_shape;

          if (shape->rank == 3)
            *input = (LsRegion) { 0, 0, shape->dims[1], shape->dims[2] };
          else
            *input = (LsRegion) { 0, 0, 1, shape->dims[0] };
          return FALSE;
        }

      ls_layer_get_input_region (layer, &region, &region);
    }

  *input = region;

  return TRUE;
}

/* Runs every layer on the current input, keeping each layer's
 * pre-activation and activation. Allocates nothing: the buffers are sized
 * when the structure changes. */
void
ls_network_forward (LsNetwork *self)
{
  const float *input;

  g_return_if_fail (LS_IS_NETWORK (self));

  input = self->input;
  for (guint i = 0; i < self->layers->len; i++)
    {
      LsLayer *layer = g_ptr_array_index (self->layers, i);

      ls_layer_forward (layer, input);
      input = layer->activation_output;
    }
}

/* Finds the first layer whose forward pass gave a NaN or an infinity,
 * which finite inputs and weights can still cause when a weighted sum
 * exceeds the float range (about 3.4e38). Returns FALSE when every value
 * is finite. */
gboolean
ls_network_find_non_finite (LsNetwork *self,
                            gsize     *index)
{
  g_return_val_if_fail (LS_IS_NETWORK (self), FALSE);

  for (guint i = 0; i < self->layers->len; i++)
    {
      const LsLayer *layer = g_ptr_array_index (self->layers, i);
      gsize n = ls_layer_get_outputs (layer);

      for (gsize j = 0; j < n; j++)
        {
          if (!isfinite (layer->pre_activation[j]) || !isfinite (layer->activation_output[j]))
            {
              if (index != NULL)
                *index = i;
              return TRUE;
            }
        }
    }

  return FALSE;
}

/* Returns the output layer's activation, or NULL while there are no layers. */
const float *
ls_network_get_output (LsNetwork *self)
{
  const LsLayer *output;

  g_return_val_if_fail (LS_IS_NETWORK (self), NULL);

  output = ls_network_get_output_layer (self);

  return output != NULL ? output->activation_output : NULL;
}

gsize
ls_network_get_output_size (LsNetwork *self)
{
  const LsLayer *output;

  g_return_val_if_fail (LS_IS_NETWORK (self), 0);

  output = ls_network_get_output_layer (self);

  return output != NULL ? ls_layer_get_outputs (output) : 0;
}

void
ls_network_get_parameter_count (LsNetwork        *self,
                                LsParameterCount *count)
{
  g_return_if_fail (LS_IS_NETWORK (self));
  g_return_if_fail (count != NULL);

  *count = (LsParameterCount) { 0 };
  for (guint i = 0; i < self->layers->len; i++)
    {
      LsParameterCount layer_count;

      ls_layer_get_parameter_count (g_ptr_array_index (self->layers, i), &layer_count);
      count->weights += layer_count.weights;
      count->biases += layer_count.biases;
      count->total += layer_count.total;
    }
}
