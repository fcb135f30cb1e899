/* ls-number-entry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ls-error.h"
#include "ls-number.h"
#include "ls-number-entry.h"
#include "ls-panel.h"

struct _LsNumberEntry
{
  GtkWidget parent_instance;

  GtkWidget *entry;
  double value;
  double step;
};

G_DEFINE_FINAL_TYPE (LsNumberEntry, ls_number_entry, GTK_TYPE_WIDGET)

enum {
  VALUE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_value (LsNumberEntry *self)
{
  g_autofree char *text = ls_format_value (self->value);

  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  gtk_widget_remove_css_class (self->entry, "error");
  gtk_widget_set_tooltip_text (self->entry, NULL);
}

static void
commit_value (LsNumberEntry *self,
              double         value)
{
  self->value = value;
  show_value (self);
  g_signal_emit (self, signals[VALUE_CHANGED], 0);
}

/* Whether the digits before any exponent include one other than 0, so
 * that the number that text names is not 0. */
static gboolean
names_nonzero (const char *text)
{
  g_autofree char *normalized = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);

  for (const char *p = normalized; p != NULL && *p != '\0' && *p != 'e' && *p != 'E'; p++)
    if (*p >= '1' && *p <= '9')
      return TRUE;

  return FALSE;
}

/* Parses text as ls_parse_float() does, and also rejects a number too
 * close to 0 for a float, which would silently become 0. */
static gboolean
parse_value (const char  *text,
             float       *value,
             GError     **error)
{
  if (!ls_parse_float (text, value, error))
    return FALSE;

  if (*value == 0.0f && names_nonzero (text))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_VALUE,
                   _("“%s” is too close to 0 for a float, which would store 0. "
                     "Type 0, or a value of at least 1.4e-45 in magnitude"), text);
      return FALSE;
    }

  return TRUE;
}

static void
clear_error_cb (LsNumberEntry *self)
{
  gtk_widget_remove_css_class (self->entry, "error");
  gtk_widget_set_tooltip_text (self->entry, NULL);
}

/* Reads the typed text. Text that is not a number, or out of a float's
 * range, is replaced by the kept value, and the field is marked as an
 * error until the next edit. The message goes to a toast, so that it is
 * seen without hovering, and to the tooltip and the accessible
 * description. */
static void
commit_text (LsNumberEntry *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autofree char *shown = ls_format_value (self->value);
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  float value;

  if (g_str_equal (text, shown))
    return;

  if (parse_value (text, &value, &error))
    {
      commit_value (self, value);
      return;
    }

  message = g_strdup_printf (_("%s. The value stays %s."), error->message, shown);
  show_value (self);
  gtk_widget_add_css_class (self->entry, "error");
  gtk_widget_set_tooltip_text (self->entry, message);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
  ls_panel_show_error (GTK_WIDGET (self), message);
}

static void
entry_activate_cb (LsNumberEntry *self)
{
  commit_text (self);
}

static void
focus_leave_cb (LsNumberEntry *self)
{
  commit_text (self);
}

static gboolean
key_pressed_cb (LsNumberEntry   *self,
                guint            keyval,
                guint            keycode,
                GdkModifierType  state)
{
  double step = self->step;

  if (state & GDK_SHIFT_MASK)
    step *= 10.0;

  switch (keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      commit_value (self, self->value + step);
      return GDK_EVENT_STOP;

    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      commit_value (self, self->value - step);
      return GDK_EVENT_STOP;

    default:
      return GDK_EVENT_PROPAGATE;
    }
}

static void
ls_number_entry_dispose (GObject *object)
{
  LsNumberEntry *self = LS_NUMBER_ENTRY (object);

  g_clear_pointer (&self->entry, gtk_widget_unparent);

  G_OBJECT_CLASS (ls_number_entry_parent_class)->dispose (object);
}

static void
ls_number_entry_class_init (LsNumberEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_number_entry_dispose;

  /**
   * LsNumberEntry::value-changed:
   *
   * Emitted when the user commits a new valid number with Enter, by
   * leaving the field or with the Up and Down keys.
   */
  signals[VALUE_CHANGED] =
    g_signal_new ("value-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "numberentry");
}

static void
ls_number_entry_init (LsNumberEntry *self)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->step = 0.01;
  self->entry = gtk_entry_new ();
  /* Ctrl+Z belongs to the window's undo of the whole document. */
  gtk_editable_set_enable_undo (GTK_EDITABLE (self->entry), FALSE);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->entry), 6);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (self->entry), 8);
  gtk_entry_set_alignment (GTK_ENTRY (self->entry), 1.0);
  gtk_entry_set_input_purpose (GTK_ENTRY (self->entry), GTK_INPUT_PURPOSE_NUMBER);
  gtk_widget_add_css_class (self->entry, "numeric");
  gtk_widget_set_parent (self->entry, GTK_WIDGET (self));
  show_value (self);

  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (entry_activate_cb), self);
  g_signal_connect_swapped (self->entry, "changed", G_CALLBACK (clear_error_cb), self);
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (focus_leave_cb), self);
  gtk_widget_add_controller (self->entry, focus);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (self->entry, keys);
}

GtkWidget *
ls_number_entry_new (void)
{
  return g_object_new (LS_TYPE_NUMBER_ENTRY, NULL);
}

double
ls_number_entry_get_value (LsNumberEntry *self)
{
  g_return_val_if_fail (LS_IS_NUMBER_ENTRY (self), 0.0);

  return self->value;
}

void
ls_number_entry_set_value (LsNumberEntry *self,
                           double         value)
{
  g_return_if_fail (LS_IS_NUMBER_ENTRY (self));
  g_return_if_fail (isfinite (value));

  self->value = value;

  /* Leave text that the user is typing alone. */
  if (!gtk_widget_has_focus (GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (self->entry)))))
    show_value (self);
}

/* Sets the change per Up or Down key press; Shift multiplies it by ten. */
void
ls_number_entry_set_step (LsNumberEntry *self,
                          double         step)
{
  g_return_if_fail (LS_IS_NUMBER_ENTRY (self));

  self->step = step;
}
