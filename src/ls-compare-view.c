/* ls-compare-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ls-compare-view.h"
#include "ls-error.h"
#include "ls-palette.h"

/* The table's columns as fractions of its width: the class label, A's
 * output, B's output, and B − A, whose bars grow both ways from its
 * centre at the same scale as A's and B's bars. */
#define LABEL_COLUMN  0.28
#define VALUE_COLUMN  0.18
#define DIFF_COLUMN   0.36

#define BAR_HEIGHT    8.0
#define ROW_GAP       8.0
#define CELL_PADDING  6.0

struct _LsCompareView
{
  GtkWidget parent_instance;

  LsNetwork *network;    /* nullable: A, the network of the window */
  LsNetwork *compared;   /* nullable: B, which reads A's input */
  char *compared_name;   /* nullable: B's file name or title */
  char *message;         /* nullable: why B no longer follows A */
  guint resize_source;   /* idle that fits the table's height to its font */

  GtkWidget *box;
  GtkLabel *name_label;
  GtkLabel *prediction_label;
  GtkLabel *message_label;
  GtkDrawingArea *table;
};

G_DEFINE_FINAL_TYPE (LsCompareView, ls_compare_view, GTK_TYPE_WIDGET)

/* "input [2]" for a vector input, "text" for a network that reads tokens. */
static char *
describe_input (LsNetwork *network)
{
  g_autofree char *shape = NULL;

  if (ls_network_has_token_input (network))
    return g_strdup (_("text"));

  shape = ls_shape_to_string (ls_network_get_input_shape (network));

  return g_strdup_printf (_("input %s"), shape);
}

static gboolean
check_compatible (LsNetwork  *network,
                  LsNetwork  *compared,
                  GError    **error)
{
  gsize outputs = ls_network_get_output_size (network);
  gsize compared_outputs = ls_network_get_output_size (compared);
  gboolean same_input;

  if (ls_network_has_token_input (network) || ls_network_has_token_input (compared))
    same_input = ls_network_has_token_input (network) && ls_network_has_token_input (compared);
  else
    same_input = ls_shape_equal (ls_network_get_input_shape (network),
                                 ls_network_get_input_shape (compared));

  if (!same_input)
    {
      g_autofree char *input = describe_input (network);
      g_autofree char *compared_input = describe_input (compared);

      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("Network B reads %s but network A reads %s. Compare with a network that reads %s."),
                   compared_input, input, input);
      return FALSE;
    }

  if (outputs != compared_outputs)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_SHAPE,
                   _("Network B has output [%zu] but network A has output [%zu]. "
                     "Compare with a network that has %zu outputs."),
                   compared_outputs, outputs, outputs);
      return FALSE;
    }

  return TRUE;
}

/* Gives B the input or text that A reads now. */
static gboolean
copy_input (LsNetwork  *network,
            LsNetwork  *compared,
            GError    **error)
{
  gsize size;

  if (ls_network_has_token_input (network))
    {
      const char *text = ls_network_get_text (network);

      if (g_strcmp0 (text, ls_network_get_text (compared)) == 0)
        return TRUE;

      if (!ls_network_set_text (compared, text, error))
        {
          g_prefix_error (error, _("Network B cannot read the text of network A: "));
          return FALSE;
        }

      return TRUE;
    }

  size = ls_network_get_input_size (network);
  if (memcmp (ls_network_get_input (network), ls_network_get_input (compared), size * sizeof (float)) == 0)
    return TRUE;

  return ls_network_set_input (compared, ls_network_get_input (network), size, error);
}

static gboolean
outputs_are_probabilities (LsNetwork *network)
{
  const LsLayer *layer = ls_network_get_output_layer (network);

  return layer != NULL && (layer->activation == LS_ACTIVATION_SOFTMAX ||
                           layer->activation == LS_ACTIVATION_SIGMOID);
}

/* Returns value, or 0 when it shows as zero at the precision of the
 * table, one decimal of a percent for probabilities, so that no cell
 * reads "−0.0". */
static double
drop_negative_zero (LsNetwork *network,
                    double     value)
{
  double rounded = outputs_are_probabilities (network) ? round (1000.0 * value) : value;

  return rounded == 0.0 ? 0.0 : value;
}

static char *
format_value (LsNetwork *network,
              double     value)
{
  value = drop_negative_zero (network, value);
  if (outputs_are_probabilities (network))
    return g_strdup_printf ("%.1f %%", 100.0 * value);

  return g_strdup_printf ("%.3g", value);
}

/* A table cell: a probability in percent without the unit, which the
 * column header carries, so that the number fits a narrow pane. */
static char *
format_cell (LsNetwork *network,
             double     value,
             gboolean   signed_value)
{
  value = drop_negative_zero (network, value);
  if (outputs_are_probabilities (network) && 100.0 * value == 0.0)
    return g_strdup ("0.0");
  if (value == 0.0)
    return g_strdup ("0");
  if (outputs_are_probabilities (network))
    return g_strdup_printf (signed_value ? "%+.1f" : "%.1f", 100.0 * value);

  return g_strdup_printf (signed_value ? "%+.3g" : "%.3g", value);
}

/* The label of output i: A's, with B's after a slash where it differs,
 * or "Output 3" for an unlabelled output. */
static char *
get_output_label (LsNetwork *network,
                  LsNetwork *compared,
                  gsize      i)
{
  const LsLayer *layer = ls_network_get_output_layer (network);
  const LsLayer *compared_layer = ls_network_get_output_layer (compared);
  const char *label = layer != NULL && layer->labels != NULL ? layer->labels[i] : NULL;
  const char *compared_label = compared_layer != NULL && compared_layer->labels != NULL ? compared_layer->labels[i] : NULL;

  if (label == NULL)
    label = compared_label;
  if (label == NULL)
    return g_strdup_printf (_("Output %zu"), i + 1);
  if (compared_label != NULL && strcmp (label, compared_label) != 0)
    return g_strdup_printf ("%s / %s", label, compared_label);

  return g_strdup (label);
}

static void
update_prediction (LsCompareView *self)
{
  const float *a = ls_network_get_output (self->network);
  const float *b = ls_network_get_output (self->compared);
  gsize n = ls_network_get_output_size (self->compared);
  gsize best_a = ls_argmax (a, n);
  gsize best_b = ls_argmax (b, n);
  g_autofree char *label_a = get_output_label (self->network, self->compared, best_a);
  g_autofree char *label_b = get_output_label (self->network, self->compared, best_b);
  g_autofree char *value_a = format_value (self->network, a[best_a]);
  g_autofree char *value_b = format_value (self->compared, b[best_b]);
  g_autofree char *text = NULL;

  /* TRANSLATORS: two lines, e.g. "B predicts “dog” (71.0 %)" and "A predicts “cat” (55.2 %)" */
  text = g_strdup_printf (_("B predicts “%s” (%s)\nA predicts “%s” (%s)"), label_b, value_b, label_a, value_a);
  gtk_label_set_text (self->prediction_label, text);
}

static void
set_message (LsCompareView *self,
             const char    *message)
{
  g_free (self->message);
  self->message = g_strdup (message);

  gtk_label_set_text (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->table), "stale");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->table), "stale");
}

/* Returns row i of the table as the cells show it: the label, A, B and
 * B − A, separated by tabs. */
static char *
dup_row_text (LsCompareView *self,
              gsize          i)
{
  double a = ls_network_get_output (self->network)[i];
  double b = ls_network_get_output (self->compared)[i];
  g_autofree char *label = get_output_label (self->network, self->compared, i);
  g_autofree char *text_a = format_cell (self->network, a, FALSE);
  g_autofree char *text_b = format_cell (self->compared, b, FALSE);
  g_autofree char *text_diff = format_cell (self->network, b - a, TRUE);

  return g_strdup_printf ("%s\t%s\t%s\t%s", label, text_a, text_b, text_diff);
}

/* Describes the table's rows to screen readers, which cannot read the
 * drawn cells. */
static void
update_table_description (LsCompareView *self)
{
  g_autoptr(GString) description = g_string_new (NULL);
  gsize n = ls_network_get_output_size (self->compared);

  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *row = dup_row_text (self, i);

      if (i > 0)
        g_string_append_c (description, '\n');
      g_string_append (description, row);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->table),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description->str,
                                  -1);
}

/* Gives B A's current input and redraws. When A's shapes no longer fit B,
 * or B rejects A's text, B keeps its last input and outputs, dimmed, under
 * a message that explains why. */
static void
update (LsCompareView *self)
{
  g_autoptr(GError) error = NULL;

  if (self->network == NULL || self->compared == NULL)
    return;

  if (!check_compatible (self->network, self->compared, &error) ||
      !copy_input (self->network, self->compared, &error))
    {
      set_message (self, error->message);
      gtk_widget_queue_draw (GTK_WIDGET (self->table));
      return;
    }

  set_message (self, NULL);
  update_prediction (self);
  update_table_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->table));
}

static void
network_changed_cb (LsCompareView *self)
{
  update (self);
}

static void
get_foreground (GtkWidget *widget,
                GdkRGBA   *color)
{
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
}

static void
set_source_rgb (cairo_t  *cr,
                guint32   rgb)
{
  LsColor color;

  ls_color_init_rgb (&color, rgb);
  cairo_set_source_rgb (cr, color.red, color.green, color.blue);
}

static void
show_text (cairo_t     *cr,
           PangoLayout *layout,
           const char  *text,
           double       x,
           double       y,
           double       width,
           gboolean     right)
{
  int text_width;

  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (layout, &text_width, NULL);
  cairo_move_to (cr, right ? x + width - text_width : x, y);
  pango_cairo_show_layout (cr, layout);
}

static double
get_row_height (PangoLayout *layout)
{
  int text_height;

  pango_layout_set_text (layout, "Ag", -1);
  pango_layout_get_pixel_size (layout, NULL, &text_height);

  return text_height + BAR_HEIGHT + ROW_GAP;
}

/* The largest magnitude among the outputs of A and B, so that both bars
 * of a class, and their difference, share one scale. Probabilities use
 * 1, so that a bar's length is its probability. */
static double
get_scale (LsCompareView *self)
{
  const float *a = ls_network_get_output (self->network);
  const float *b = ls_network_get_output (self->compared);
  gsize n = ls_network_get_output_size (self->compared);
  double scale = 1e-6;

  if (outputs_are_probabilities (self->network) && outputs_are_probabilities (self->compared))
    return 1.0;

  for (gsize i = 0; i < n; i++)
    scale = MAX (scale, MAX (fabs (a[i]), fabs (b[i])));

  return scale;
}

static void
draw_header (cairo_t       *cr,
             PangoLayout   *layout,
             double         width,
             gboolean       percent,
             const GdkRGBA *fg)
{
  double value_width = VALUE_COLUMN * width;
  double label_width = LABEL_COLUMN * width;

  gdk_cairo_set_source_rgba (cr, &(GdkRGBA) { fg->red, fg->green, fg->blue, 0.7 * fg->alpha });
  show_text (cr, layout, _("Class"), 0, 0, label_width - CELL_PADDING, FALSE);
  show_text (cr, layout, percent ? "A %" : "A", label_width, 0, value_width - CELL_PADDING, TRUE);
  show_text (cr, layout, percent ? "B %" : "B", label_width + value_width, 0, value_width - CELL_PADDING, TRUE);
  show_text (cr, layout, "B − A", label_width + 2 * value_width, 0, DIFF_COLUMN * width, TRUE);
}

/* One output: its label, A's and B's values over their bars, and B − A
 * over a bar that grows right from the centre when B is higher (the
 * palette's positive colour) and left when it is lower. */
static void
draw_row (LsCompareView *self,
          cairo_t       *cr,
          PangoLayout   *layout,
          gsize          i,
          double         y,
          double         width,
          double         scale,
          const GdkRGBA *fg)
{
  double a = ls_network_get_output (self->network)[i];
  double b = ls_network_get_output (self->compared)[i];
  double label_width = LABEL_COLUMN * width;
  double value_width = VALUE_COLUMN * width;
  double half = DIFF_COLUMN * width / 2.0;
  double centre = label_width + 2 * value_width + half;
  double bar_y = y + get_row_height (layout) - ROW_GAP - BAR_HEIGHT;
  g_autofree char *label = get_output_label (self->network, self->compared, i);
  g_autofree char *text_a = format_cell (self->network, a, FALSE);
  g_autofree char *text_b = format_cell (self->compared, b, FALSE);
  g_autofree char *text_diff = format_cell (self->network, b - a, TRUE);
  double diff_length = MIN (fabs (b - a) / scale, 1.0) * half;

  gdk_cairo_set_source_rgba (cr, fg);
  show_text (cr, layout, label, 0, y, label_width - CELL_PADDING, FALSE);
  show_text (cr, layout, text_a, label_width, y, value_width - CELL_PADDING, TRUE);
  show_text (cr, layout, text_b, label_width + value_width, y, value_width - CELL_PADDING, TRUE);
  show_text (cr, layout, text_diff, label_width + 2 * value_width, y, 2 * half, TRUE);

  gdk_cairo_set_source_rgba (cr, &(GdkRGBA) { fg->red, fg->green, fg->blue, 0.35 * fg->alpha });
  cairo_rectangle (cr, label_width, bar_y, MIN (fabs (a) / scale, 1.0) * (value_width - CELL_PADDING), BAR_HEIGHT);
  cairo_fill (cr);
  gdk_cairo_set_source_rgba (cr, &(GdkRGBA) { fg->red, fg->green, fg->blue, 0.75 * fg->alpha });
  cairo_rectangle (cr, label_width + value_width, bar_y, MIN (fabs (b) / scale, 1.0) * (value_width - CELL_PADDING), BAR_HEIGHT);
  cairo_fill (cr);

  set_source_rgb (cr, b >= a ? LS_PALETTE_POSITIVE_RGB : LS_PALETTE_NEGATIVE_RGB);
  cairo_rectangle (cr, b >= a ? centre : centre - diff_length, bar_y, diff_length, BAR_HEIGHT);
  cairo_fill (cr);
  gdk_cairo_set_source_rgba (cr, &(GdkRGBA) { fg->red, fg->green, fg->blue, 0.5 * fg->alpha });
  cairo_rectangle (cr, centre - 0.5, bar_y - 2, 1, BAR_HEIGHT + 4);
  cairo_fill (cr);
}

static gboolean
fit_table_height_cb (gpointer data)
{
  LsCompareView *self = data;
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->table), NULL);
  gsize rows = self->compared != NULL ? ls_network_get_output_size (self->compared) + 1 : 0;

  self->resize_source = 0;
  gtk_drawing_area_set_content_height (self->table, (int) ceil (rows * get_row_height (layout)));

  return G_SOURCE_REMOVE;
}

/* Fits the height to the rows once the current frame is drawn, because
 * the font that the table's rows need is known only with its style. */
static void
queue_fit_table_height (LsCompareView *self)
{
  if (self->resize_source == 0)
    self->resize_source = g_idle_add (fit_table_height_cb, self);
}

static void
draw_table_cb (GtkDrawingArea *area,
               cairo_t        *cr,
               int             width,
               int             height,
               gpointer        data)
{
  LsCompareView *self = data;
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), NULL);
  gsize n;
  double row_height = get_row_height (layout);
  double scale;
  GdkRGBA fg;

  if (self->network == NULL || self->compared == NULL)
    return;

  n = ls_network_get_output_size (self->compared);
  if (n != ls_network_get_output_size (self->network))
    return;
  if ((int) ceil ((n + 1) * row_height) != gtk_drawing_area_get_content_height (area))
    queue_fit_table_height (self);

  get_foreground (GTK_WIDGET (area), &fg);
  scale = get_scale (self);
  draw_header (cr, layout, width, outputs_are_probabilities (self->network), &fg);
  for (gsize i = 0; i < n; i++)
    draw_row (self, cr, layout, i, (i + 1) * row_height, width, scale, &fg);
}

static void
close_clicked_cb (LsCompareView *self)
{
  ls_compare_view_close (self);
}

static GtkWidget *
new_header (void)
{
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new (_("Compare A with B"));

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (title, "title-4");
  gtk_box_append (GTK_BOX (header), title);

  return header;
}

static GtkWidget *
new_close_button (LsCompareView *self)
{
  GtkWidget *close_button = gtk_button_new_from_icon_name ("window-close-symbolic");

  gtk_widget_set_valign (close_button, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (close_button, _("End the comparison"));
  gtk_widget_add_css_class (close_button, "flat");
  g_signal_connect_object (close_button, "clicked", G_CALLBACK (close_clicked_cb), self, G_CONNECT_SWAPPED);


  return close_button;
}

static GtkLabel *
new_wrapping_label (const char *css_class)
{
  GtkLabel *label = GTK_LABEL (gtk_label_new (NULL));

  gtk_label_set_xalign (label, 0);
  gtk_label_set_wrap (label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (label), css_class);

  return label;
}

static void
ls_compare_view_dispose (GObject *object)
{
  LsCompareView *self = LS_COMPARE_VIEW (object);

  g_clear_handle_id (&self->resize_source, g_source_remove);
  ls_compare_view_set_network (self, NULL);
  g_clear_object (&self->compared);
  g_clear_pointer (&self->compared_name, g_free);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (ls_compare_view_parent_class)->dispose (object);
}

static void
ls_compare_view_class_init (LsCompareViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_compare_view_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "compare-view");
}

static void
ls_compare_view_init (LsCompareView *self)
{
  GtkWidget *header = new_header ();

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->name_label = new_wrapping_label ("dim-label");
  self->prediction_label = new_wrapping_label ("compare-prediction");
  self->message_label = new_wrapping_label ("compare-message");
  self->table = GTK_DRAWING_AREA (gtk_drawing_area_new ());
  gtk_drawing_area_set_draw_func (self->table, draw_table_cb, self, NULL);
  gtk_widget_add_css_class (GTK_WIDGET (self->table), "compare-table");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->table),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Outputs of networks A and B, and their difference"),
                                  -1);

  gtk_box_append (GTK_BOX (header), new_close_button (self));
  gtk_box_append (GTK_BOX (self->box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (self->box), header);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->name_label));
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->prediction_label));
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->message_label));
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->table));
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
ls_compare_view_new (void)
{
  return g_object_new (LS_TYPE_COMPARE_VIEW, NULL);
}

LsNetwork *
ls_compare_view_get_network (LsCompareView *self)
{
  g_return_val_if_fail (LS_IS_COMPARE_VIEW (self), NULL);

  return self->network;
}

/* Sets A, the network whose input B follows. A comparison in progress
 * carries on with the new A, or shows why it cannot. */
void
ls_compare_view_set_network (LsCompareView *self,
                             LsNetwork     *network)
{
  g_return_if_fail (LS_IS_COMPARE_VIEW (self));
  g_return_if_fail (network == NULL || LS_IS_NETWORK (network));

  if (self->network == network)
    return;

  if (self->network != NULL)
    g_signal_handlers_disconnect_by_func (self->network, network_changed_cb, self);
  g_set_object (&self->network, network);
  if (network != NULL)
    g_signal_connect_object (network, "changed", G_CALLBACK (network_changed_cb), self, G_CONNECT_SWAPPED);

  update (self);
}

LsNetwork *
ls_compare_view_get_compared (LsCompareView *self)
{
  g_return_val_if_fail (LS_IS_COMPARE_VIEW (self), NULL);

  return self->compared;
}

/* Starts comparing A with compared, B, which from now on reads A's input
 * and is shown under name. A B whose input or output shape differs from
 * A's gives LS_ERROR_INVALID_SHAPE naming both shapes. A B that rejects
 * A's text gives the error of ls_network_set_text(). On failure the
 * comparison shown before, if any, stays. */
gboolean
ls_compare_view_set_compared (LsCompareView  *self,
                              LsNetwork      *compared,
                              const char     *name,
                              GError        **error)
{
  g_autofree char *title = NULL;

  g_return_val_if_fail (LS_IS_COMPARE_VIEW (self), FALSE);
  g_return_val_if_fail (LS_IS_NETWORK (compared), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (self->network != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_compatible (self->network, compared, error) ||
      !copy_input (self->network, compared, error))
    return FALSE;

  g_set_object (&self->compared, compared);
  g_free (self->compared_name);
  self->compared_name = g_strdup (name);

  /* TRANSLATORS: the name of network B, e.g. "B: small.json" */
  title = g_strdup_printf (_("B: %s"), name);
  gtk_label_set_text (self->name_label, title);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  update (self);
  queue_fit_table_height (self);

  return TRUE;
}

/* Ends the comparison and hides the view. */
void
ls_compare_view_close (LsCompareView *self)
{
  g_return_if_fail (LS_IS_COMPARE_VIEW (self));

  g_clear_object (&self->compared);
  g_clear_pointer (&self->compared_name, g_free);
  set_message (self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

/* Returns why B does not follow A's current input, or NULL while it does. */
const char *
ls_compare_view_get_message (LsCompareView *self)
{
  g_return_val_if_fail (LS_IS_COMPARE_VIEW (self), NULL);

  return self->message;
}

char *
ls_compare_view_dup_row_text (LsCompareView *self,
                              gsize          output)
{
  g_return_val_if_fail (LS_IS_COMPARE_VIEW (self), NULL);

  if (self->network == NULL || self->compared == NULL ||
      output >= ls_network_get_output_size (self->compared))
    return NULL;

  return dup_row_text (self, output);
}
