/* ls-code.c: Python scripts that rebuild a network with NumPy or PyTorch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "ls-code.h"
#include "ls-code-private.h"
#include "ls-document.h"
#include "ls-engine.h"
#include "ls-explain.h"

/* The widest number ls_document_append_float() writes, "-1.17549435e-38",
 * plus ", ". */
#define MAX_NUMBER_WIDTH 17

/* Writes a float32 as the shortest decimal that reads back as the same
 * float32, such as 0.4 rather than 0.400000006, with a point whatever the
 * user's locale is. */
void
ls_code_append_float (GString *out,
                      float    value)
{
  if (isnan (value))
    g_string_append (out, "float(\"nan\")");
  else if (isinf (value))
    g_string_append (out, value > 0 ? "float(\"inf\")" : "-float(\"inf\")");
  else
    ls_document_append_float (out, value);
}

/* Writes text as a double-quoted Python string literal. Quotes,
 * backslashes and control characters are escaped. Other characters,
 * including non-ASCII ones, stay as they are, because Python reads its
 * source as UTF-8. */
void
ls_code_append_string_literal (GString    *out,
                               const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

static void
append_indent (GString *out,
               guint    indent)
{
  for (guint i = 0; i < indent; i++)
    g_string_append_c (out, ' ');
}

/* Writes a row-major array as nested Python lists, one innermost list
 * per line when the rank is above 1. */
void
ls_code_append_array (GString     *out,
                      const float *values,  /* [dims[0]]...[dims[rank - 1]] */
                      const gsize *dims,
                      guint        rank,
                      guint        indent)
{
  gsize stride = 1;

  g_assert (rank >= 1);

  for (guint i = 1; i < rank; i++)
    stride *= dims[i];

  g_string_append_c (out, '[');
  for (gsize i = 0; i < dims[0]; i++)
    {
      if (i > 0)
        g_string_append (out, rank > 1 ? "," : ", ");
      if (rank == 1)
        {
          ls_code_append_float (out, values[i]);
          continue;
        }
      g_string_append_c (out, '\n');
      append_indent (out, indent + 4);
      ls_code_append_array (out, values + i * stride, dims + 1, rank - 1, indent + 4);
    }
  if (rank > 1)
    {
      g_string_append_c (out, '\n');
      append_indent (out, indent);
    }
  g_string_append_c (out, ']');
}

/* Writes a [rows][columns] matrix as its transpose, [columns][rows]. */
void
ls_code_append_transposed (GString     *out,
                           const float *values,  /* [rows][columns] */
                           gsize        rows,
                           gsize        columns,
                           guint        indent)
{
  g_autofree float *transposed = g_new (float, rows * columns);  /* [columns][rows] */
  gsize dims[2] = { columns, rows };

  for (gsize r = 0; r < rows; r++)
    for (gsize c = 0; c < columns; c++)
      transposed[c * rows + r] = values[r * columns + c];

  ls_code_append_array (out, transposed, dims, 2, indent);
}

/* Writes a shape as a Python tuple, e.g. "(1, 28, 28)" or "(10,)". */
void
ls_code_append_shape (GString       *out,
                      const LsShape *shape)
{
  g_string_append_c (out, '(');
  for (guint i = 0; i < shape->rank; i++)
    g_string_append_printf (out, i > 0 ? ", %zu" : "%zu", shape->dims[i]);
  g_string_append (out, shape->rank == 1 ? ",)" : ")");
}

/* Writes a comment line such as
 * # Layer 2, "hidden": dense (4,) -> (2,), ReLU */
void
ls_code_append_layer_heading (GString   *out,
                              LsNetwork *network,
                              gsize      index)
{
  const LsLayer *layer = ls_network_get_layer (network, index);
  g_autofree char *title = ls_explain_layer_title (network, index);

  g_string_append_printf (out, "\n# Layer %zu, ", index + 1);
  ls_code_append_string_literal (out, title);
  g_string_append_printf (out, ": %s ", ls_layer_kind_get_name (layer->kind));
  ls_code_append_shape (out, &layer->input_shape);
  g_string_append (out, " -> ");
  ls_code_append_shape (out, &layer->output_shape);
  if (layer->activation != LS_ACTIVATION_IDENTITY)
    g_string_append_printf (out, ", %s", ls_activation_get_name (layer->activation));
  g_string_append_c (out, '\n');
}

/* Writes "labels = [...]" with the output layer's labels, or None. The
 * labels of an image or a sequence name its channels or features, not
 * its values, so those outputs get None. */
void
ls_code_append_labels (GString   *out,
                       LsNetwork *network)
{
  const LsLayer *output = ls_network_get_output_layer (network);

  g_string_append (out, "labels = ");
  if (output->labels == NULL || output->output_shape.rank != 1)
    {
      g_string_append (out, "None\n");
      return;
    }

  g_string_append_c (out, '[');
  for (gsize i = 0; output->labels[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      ls_code_append_string_literal (out, output->labels[i]);
    }
  g_string_append (out, "]\n");
}

/* Writes the lines that print the prediction from output, the flat
 * output as a Python expression, where values lists its numbers and
 * argmax picks the index of the largest. One sigmoid output is a yes/no
 * decision at 0.5, as the output bars show it; any other output predicts
 * the class with the largest value. */
void
ls_code_append_prediction (GString    *out,
                           LsNetwork  *network,
                           const char *values,
                           const char *argmax)
{
  const LsLayer *output = ls_network_get_output_layer (network);

  g_string_append_printf (out,
                          "for index, value in enumerate(%s):\n"
                          "    print(f\"output {index} {float(value):.9g}\")\n", values);
  if (output->activation == LS_ACTIVATION_SIGMOID && ls_network_get_output_size (network) == 1)
    {
      g_string_append (out,
                       "# One sigmoid output is a yes/no decision: yes from 0.5 up\n"
                       "predicted = \"yes\" if float(output[0]) >= 0.5 else \"no\"\n"
                       "print(f\"predicted {predicted}\" if labels is None\n"
                       "      else f\"predicted {predicted} {labels[0]}\")\n");
      return;
    }
  g_string_append_printf (out,
                          "predicted = int(%s)\n"
                          "print(f\"predicted {predicted}\" if labels is None\n"
                          "      else f\"predicted {predicted} {labels[predicted]}\")\n", argmax);
}

/* Writes the token ids of the current text, each with its token in a
 * comment. */
void
ls_code_append_token_ids (GString   *out,
                          LsNetwork *network)
{
  gsize n_tokens = ls_network_get_n_tokens (network);

  g_string_append (out, "token_ids = [\n");
  for (gsize t = 0; t < n_tokens; t++)
    {
      g_string_append_printf (out, "    %zu,  # ", ls_network_get_token_id (network, t));
      ls_code_append_string_literal (out, ls_network_get_token (network, t));
      g_string_append_c (out, '\n');
    }
  g_string_append (out, "]\n");
}

/* Estimates the script's size in bytes as every parameter and input
 * value at the widest number. The scripts compute sinusoidal tables, so
 * those add nothing. */
static guint64
estimate_size (LsNetwork *network)
{
  LsParameterCount count;

  ls_network_get_parameter_count (network, &count);

  return ((guint64) count.total + ls_network_get_input_size (network)) * MAX_NUMBER_WIDTH;
}

char *
ls_code_generate (LsNetwork       *network,
                  LsCodeLanguage   language,
                  GError         **error)
{
  g_autoptr (GString) out = NULL;
  guint64 estimate;

  g_return_val_if_fail (LS_IS_NETWORK (network), NULL);
  g_return_val_if_fail (language < LS_N_CODE_LANGUAGES, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (ls_network_get_n_layers (network) == 0)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("The network has no layers, so there is no code to show; add a layer first"));
      return NULL;
    }

  estimate = estimate_size (network);
  if (estimate > LS_CODE_MAX_SIZE)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("The script would be about %u MB, more than the %u MB limit; save the "
                     "network as a document and load its JSON in Python instead"),
                   (guint) MIN (estimate >> 20, G_MAXUINT), LS_CODE_MAX_SIZE >> 20);
      return NULL;
    }

  out = g_string_sized_new ((gsize) estimate);
  if (language == LS_CODE_NUMPY)
    ls_code_write_numpy (out, network);
  else
    ls_code_write_pytorch (out, network);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

const char *
ls_code_language_get_hint (LsCodeLanguage language)
{
  g_return_val_if_fail (language < LS_N_CODE_LANGUAGES, NULL);

  if (language == LS_CODE_NUMPY)
    return _("Save it and run: python3 network.py (needs numpy)");

  return _("Save it and run: python3 network.py (needs torch)");
}
