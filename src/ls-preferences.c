/* ls-preferences.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ls-preferences.h"

struct _LsPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (LsPreferencesWindow, ls_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The values of the "theme" and "palette" keys in the order of their
 * rows' choices. */
static const char * const theme_values[] = { "system", "light", "dark", NULL };
static const char * const palette_values[] = { "default", "high-contrast", NULL };

static gboolean
has_key (GSettings  *settings,
         const char *key)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  if (settings == NULL)
    return FALSE;

  g_object_get (settings, "settings-schema", &schema, NULL);

  return g_settings_schema_has_key (schema, key);
}

/* Maps a string key to the "selected" position of a combo row. A value
 * not in the list selects the first choice, the key's default. */
static gboolean
get_selected_mapping (GValue   *value,
                      GVariant *variant,
                      gpointer  user_data)
{
  const char * const *values = user_data;
  const char *string = g_variant_get_string (variant, NULL);
  guint position = 0;

  for (guint i = 0; values[i] != NULL; i++)
    if (g_str_equal (values[i], string))
      position = i;

  g_value_set_uint (value, position);

  return TRUE;
}

static GVariant *
set_selected_mapping (const GValue       *value,
                      const GVariantType *expected_type,
                      gpointer            user_data)
{
  const char * const *values = user_data;
  guint position = g_value_get_uint (value);

  if (position >= g_strv_length ((char **) values))
    return NULL;

  return g_variant_new_string (values[position]);
}

static GtkWidget *
new_choice_row (GSettings          *settings,
                const char         *key,
                const char         *title,
                const char         *subtitle,
                const char * const *labels,
                const char * const *values)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (labels);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  g_settings_bind_with_mapping (settings, key, row, "selected", G_SETTINGS_BIND_DEFAULT,
                                get_selected_mapping, set_selected_mapping,
                                (gpointer) values, NULL);

  return row;
}

static GtkWidget *
new_scale_row (GSettings  *settings,
               const char *key,
               const char *title,
               const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) schema_key = NULL;
  g_autoptr(GVariant) range = NULL;
  GVariant *limits;
  const char *type;
  double min, max;
  GtkWidget *spin;

  /* The range comes from the schema, so the two cannot disagree. */
  g_object_get (settings, "settings-schema", &schema, NULL);
  schema_key = g_settings_schema_get_key (schema, key);
  range = g_settings_schema_key_get_range (schema_key);
  g_variant_get (range, "(&sv)", &type, &limits);
  g_variant_get (limits, "(dd)", &min, &max);
  g_variant_unref (limits);

  spin = gtk_spin_button_new_with_range (min, max, 0.25);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 2);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  g_settings_bind (settings, key, spin, "value", G_SETTINGS_BIND_DEFAULT);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);

  return row;
}

static GtkWidget *
new_switch_row (GSettings  *settings,
                const char *key,
                const char *title,
                const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  g_settings_bind (settings, key, toggle, "active", G_SETTINGS_BIND_DEFAULT);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);

  return row;
}

static GtkWidget *
new_appearance_group (GSettings *settings)
{
  const char *theme_labels[] = { _("System"), _("Light"), _("Dark"), NULL };
  const char *palette_labels[] = { _("Standard"), _("High contrast"), NULL };
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Appearance"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             new_choice_row (settings, "theme", _("Theme"),
                                             _("System follows the desktop’s light or dark style"),
                                             theme_labels, theme_values));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             new_choice_row (settings, "palette", _("Palette"),
                                             _("High contrast uses saturated colours and bold outlines that stay readable on a projector"),
                                             palette_labels, palette_values));

  return group;
}

static GtkWidget *
new_diagram_group (GSettings *settings)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Diagram"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             new_scale_row (settings, "presenter-scale", _("Presenter text scale"),
                                            _("Text size in presenter mode, as a multiple of the normal size")));
  if (has_key (settings, "scale-feature-maps"))
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                               new_switch_row (settings, "scale-feature-maps",
                                               _("Scale feature maps per layer"),
                                               _("Give each layer’s largest magnitude the full colour, instead of the fixed scale from −1 to +1")));

  return group;
}

static void
ls_preferences_window_dispose (GObject *object)
{
  LsPreferencesWindow *self = LS_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ls_preferences_window_parent_class)->dispose (object);
}

static void
ls_preferences_window_class_init (LsPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ls_preferences_window_dispose;
}

static void
ls_preferences_window_init (LsPreferencesWindow *self)
{
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (self), FALSE);
}

GtkWidget *
ls_preferences_window_new (GtkWindow *parent,
                           GSettings *settings)
{
  LsPreferencesWindow *self;
  GtkWidget *page = adw_preferences_page_new ();

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (LS_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "default-width", 560,
                       NULL);
  self->settings = g_object_ref (settings);

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page),
                            ADW_PREFERENCES_GROUP (new_appearance_group (settings)));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page),
                            ADW_PREFERENCES_GROUP (new_diagram_group (settings)));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (page));

  return GTK_WIDGET (self);
}

GSettings *
ls_preferences_new_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);

  if (schema == NULL)
    {
      g_debug ("Settings schema %s not found; preferences will not be kept", APPLICATION_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

AdwColorScheme
ls_preferences_get_color_scheme (const char *theme)
{
  g_return_val_if_fail (theme != NULL, ADW_COLOR_SCHEME_DEFAULT);

  if (g_str_equal (theme, "light"))
    return ADW_COLOR_SCHEME_FORCE_LIGHT;
  if (g_str_equal (theme, "dark"))
    return ADW_COLOR_SCHEME_FORCE_DARK;

  /* DEFAULT is light unless the desktop prefers dark, and it follows
   * that preference live. */
  return ADW_COLOR_SCHEME_DEFAULT;
}

static void
theme_changed_cb (GSettings  *settings,
                  const char *key,
                  gpointer    user_data)
{
  g_autofree char *theme = g_settings_get_string (settings, "theme");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ls_preferences_get_color_scheme (theme));
}

void
ls_preferences_follow_theme (GSettings *settings)
{
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));

  if (!has_key (settings, "theme"))
    return;

  g_signal_connect (settings, "changed::theme", G_CALLBACK (theme_changed_cb), NULL);
  theme_changed_cb (settings, "theme", NULL);
}

gboolean
ls_preferences_get_high_contrast (GSettings *settings)
{
  g_autofree char *palette = NULL;

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), FALSE);

  if (!has_key (settings, "palette"))
    return FALSE;

  palette = g_settings_get_string (settings, "palette");

  return g_str_equal (palette, "high-contrast");
}

void
ls_preferences_restore_folder (GSettings      *settings,
                               GtkFileChooser *chooser)
{
  g_autofree char *uri = NULL;
  g_autoptr(GFile) folder = NULL;

  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));
  g_return_if_fail (GTK_IS_FILE_CHOOSER (chooser));

  if (!has_key (settings, "last-folder"))
    return;

  uri = g_settings_get_string (settings, "last-folder");
  if (uri[0] == '\0')
    return;

  /* A folder deleted or unmounted since then is skipped, so the chooser
   * starts where it would without the key. */
  folder = g_file_new_for_uri (uri);
  if (g_file_query_file_type (folder, G_FILE_QUERY_INFO_NONE, NULL) != G_FILE_TYPE_DIRECTORY)
    return;

  gtk_file_chooser_set_current_folder (chooser, folder, NULL);
}

void
ls_preferences_store_folder (GSettings *settings,
                             GFile     *file)
{
  g_autoptr(GFile) folder = NULL;
  g_autofree char *uri = NULL;

  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));
  g_return_if_fail (G_IS_FILE (file));

  if (!has_key (settings, "last-folder"))
    return;

  folder = g_file_get_parent (file);
  if (folder == NULL)
    return;

  uri = g_file_get_uri (folder);
  g_settings_set_string (settings, "last-folder", uri);
}
