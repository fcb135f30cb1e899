/* ls-example-strings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ls-example-strings.h"

/* Returns the translation of text, or text itself. An empty text stays
 * empty: gettext would return the catalog's header for it. */
static const char *
translate (const char *text)
{
  if (text == NULL || *text == '\0')
    return text;

  return g_dgettext (GETTEXT_PACKAGE, text);
}

/* Returns a translated copy of labels, [n_labels] with its NULL end. */
static GStrv
translate_labels (const char * const *labels)
{
  g_autoptr(GPtrArray) translated = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; labels[i] != NULL; i++)
    g_ptr_array_add (translated, g_strdup (translate (labels[i])));
  g_ptr_array_add (translated, NULL);

  return (GStrv) g_ptr_array_free (g_steal_pointer (&translated), FALSE);
}

static void
translate_input_labels (LsNetwork *network)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_auto(GStrv) translated = NULL;
  const char *label;

  if (ls_network_has_token_input (network))
    return;

  for (gsize i = 0; (label = ls_network_get_input_label (network, i)) != NULL; i++)
    g_ptr_array_add (labels, (gpointer) label);
  if (labels->len == 0)
    return;
  g_ptr_array_add (labels, NULL);

  translated = translate_labels ((const char * const *) labels->pdata);
  ls_network_set_input_labels (network, (const char * const *) translated);
}

static void
translate_layer (LsNetwork *network,
                 gsize      index)
{
  const LsLayer *layer = ls_network_get_layer (network, index);
  g_autofree char *name = NULL;
  g_auto(GStrv) labels = NULL;

  /* Copied first, because the setter frees the old name, which is the
   * translation itself when there is none. */
  name = g_strdup (translate (layer->name));
  if (name != NULL)
    ls_network_set_layer_name (network, index, name);

  if (layer->labels == NULL)
    return;

  labels = translate_labels ((const char * const *) layer->labels);
  ls_network_set_layer_labels (network, index, (const char * const *) labels);
}

void
ls_example_strings_translate (LsNetwork *network)
{
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;

  g_return_if_fail (LS_IS_NETWORK (network));

  /* Copied first for the same reason as a layer's name. */
  title = g_strdup (translate (ls_network_get_title (network)));
  description = g_strdup (translate (ls_network_get_description (network)));
  ls_network_set_title (network, title);
  ls_network_set_description (network, description);

  translate_input_labels (network);

  for (gsize i = 0; i < ls_network_get_n_layers (network); i++)
    translate_layer (network, i);
}
