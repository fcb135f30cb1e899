/* ls-explain.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "ls-explain.h"
#include "ls-number.h"

/* A formula lists at most this many products before eliding the middle. */
#define MAX_TERMS 8

/* Formats an input value as the lesson writes it: "0.5", "0.8", "1". */
static char *
format_input (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *digits = NULL;

  digits = g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.3g", fabs (value)));
  if (value < 0.0)
    return g_strconcat ("−", digits, NULL);

  return g_steal_pointer (&digits);
}

/* A factor that is negative is put in parentheses: "0.8×(−0.20)". */
static char *
format_factor (double value)
{
  g_autofree char *text = ls_format_value (value);

  if (value < 0.0 && !g_str_equal (text, "0.00"))
    return g_strdup_printf ("(%s)", text);

  return g_steal_pointer (&text);
}

char *
ls_explain_layer_title (LsNetwork *network,
                        gsize      index)
{
  gsize n_layers;
  const LsLayer *layer;

  g_return_val_if_fail (LS_IS_NETWORK (network), NULL);

  n_layers = ls_network_get_n_layers (network);
  g_return_val_if_fail (index < n_layers, NULL);

  layer = ls_network_get_layer (network, index);
  if (layer->name != NULL && layer->name[0] != '\0')
    return g_strdup (layer->name);

  if (index + 1 == n_layers)
    return g_strdup (_("output"));

  if (n_layers == 2)
    return g_strdup (_("hidden"));

  return g_strdup_printf (_("hidden %zu"), index + 1);
}

/* Returns name for a formula, in quotes when it contains characters such
 * as ">" that would make the formula misread: “x > 5” = Sigmoid(…). */
static char *
quote_for_formula (char *name)
{
  for (const char *p = name; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != ' ' && *p != '_' && *p != ',' && (guchar) *p < 0x80)
        {
          char *quoted = g_strdup_printf ("“%s”", name);

          g_free (name);
          return quoted;
        }
    }

  return name;
}

char *
ls_explain_neuron_name (LsNetwork *network,
                        gsize      column,
                        gsize      unit)
{
  gsize n_layers;
  const LsLayer *layer;
  const char *label;

  g_return_val_if_fail (LS_IS_NETWORK (network), NULL);

  n_layers = ls_network_get_n_layers (network);
  g_return_val_if_fail (column <= n_layers, NULL);

  if (column == 0)
    {
      label = ls_network_get_input_label (network, unit);
      if (label != NULL && label[0] != '\0')
        return g_strdup (label);

      return g_strdup_printf ("x%" G_GSIZE_FORMAT, unit + 1);
    }

  layer = ls_network_get_layer (network, column - 1);
  label = ls_layer_get_label (layer, unit);
  if (label != NULL && label[0] != '\0')
    return g_strdup (label);

  if (column == n_layers)
    return g_strdup_printf ("y%" G_GSIZE_FORMAT, unit + 1);

  if (n_layers == 2)
    return g_strdup_printf ("h%" G_GSIZE_FORMAT, unit + 1);

  return g_strdup_printf ("h%" G_GSIZE_FORMAT ",%" G_GSIZE_FORMAT, column, unit + 1);
}

/* Appends "0.5×0.40 + 0.8×0.50 + … + 0.00", the weighted sum of a dense
 * neuron with its bias. */
static void
append_weighted_sum (GString       *text,
                     const LsLayer *layer,
                     const float   *input,
                     gsize          unit)
{
  gsize inputs = ls_layer_get_inputs (layer);
  g_autofree char *bias = format_factor (layer->bias[unit]);

  for (gsize i = 0; i < inputs; i++)
    {
      g_autofree char *x = NULL;
      g_autofree char *w = NULL;

      if (inputs > MAX_TERMS && i == MAX_TERMS / 2)
        {
          g_string_append_printf (text, _("… %zu more terms … + "),
                                  inputs - MAX_TERMS);
          i = inputs - MAX_TERMS / 2 - 1;
          continue;
        }

      x = format_input (input[i]);
      w = format_factor (ls_layer_get_weight (layer, i, unit));
      g_string_append_printf (text, "%s×%s + ", x, w);
    }

  g_string_append (text, bias);
}

/* Appends the softmax step: "Cat = e^1.48 / (e^1.48 + e^−0.03) = 0.82". */
static void
append_softmax (GString       *text,
                const LsLayer *layer,
                const char    *name,
                gsize          unit)
{
  gsize n = ls_layer_get_outputs (layer);
  g_autofree char *own = ls_format_value (layer->pre_activation[unit]);
  g_autofree char *result = ls_format_value (layer->activation_output[unit]);

  g_string_append_printf (text, "\n%s = e^%s / (", name, own);
  for (gsize j = 0; j < n; j++)
    {
      g_autofree char *z = ls_format_value (layer->pre_activation[j]);

      if (n > MAX_TERMS && j == MAX_TERMS / 2)
        {
          g_string_append_printf (text, _("… %zu more … + "), n - MAX_TERMS);
          j = n - MAX_TERMS / 2 - 1;
          continue;
        }

      g_string_append_printf (text, j + 1 < n ? "e^%s + " : "e^%s", z);
    }
  g_string_append_printf (text, ") = %s", result);
}

char *
ls_explain_neuron (LsNetwork *network,
                   gsize      column,
                   gsize      unit)
{
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;
  const LsLayer *layer;
  const float *input;
  GString *text;

  g_return_val_if_fail (LS_IS_NETWORK (network), NULL);
  g_return_val_if_fail (column <= ls_network_get_n_layers (network), NULL);

  name = quote_for_formula (ls_explain_neuron_name (network, column, unit));
  if (column == 0)
    {
      g_return_val_if_fail (unit < ls_network_get_input_size (network), NULL);
      value = ls_format_value (ls_network_get_input (network)[unit]);
      return g_strdup_printf (_("%s = %s (an input value: it is not computed)"), name, value);
    }

  layer = ls_network_get_layer (network, column - 1);
  g_return_val_if_fail (unit < ls_layer_get_outputs (layer), NULL);
  input = column == 1 ? ls_network_get_input (network)
                      : ls_network_get_layer (network, column - 2)->activation_output;

  text = g_string_new (NULL);
  if (layer->activation == LS_ACTIVATION_SOFTMAX)
    {
      g_autofree char *z = ls_format_value (layer->pre_activation[unit]);

      g_string_append_printf (text, "z(%s) = ", name);
      append_weighted_sum (text, layer, input, unit);
      g_string_append_printf (text, " = %s", z);
      append_softmax (text, layer, name, unit);
    }
  else
    {
      value = ls_format_value (layer->activation_output[unit]);
      g_string_append_printf (text, "%s = %s(", name, ls_activation_get_display_name (layer->activation));
      append_weighted_sum (text, layer, input, unit);
      g_string_append_printf (text, ") = %s", value);
    }

  return g_string_free (text, FALSE);
}
