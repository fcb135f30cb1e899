/* ls-matrix-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ls-attention-preset.h"
#include "ls-matrix-editor.h"
#include "ls-number-entry.h"
#include "ls-palette.h"
#include "ls-panel.h"

/* The heatmap's layout in pixels. Row numbers go on the left and column
 * numbers on top. Head names go above the columns of wq, wk and wv, and
 * right of the rows of wo. Cells of MIN_CELL to MAX_CELL pixels fit the d
 * columns in the heatmap's width, up to GRID_WIDTH, and the bias row lies
 * BIAS_GAP below the matrix. */
#define GRID_WIDTH 320.0
#define ROW_LABEL_WIDTH 28.0
#define HEAD_LABEL_HEIGHT 16.0
#define HEAD_LABEL_WIDTH 16.0
#define COLUMN_LABEL_HEIGHT 16.0
#define MIN_CELL 4.0
#define MAX_CELL 28.0
#define BIAS_GAP 6.0
#define LABEL_PX 10.0

/* Dragging a cell up by one pixel adds this to its value. */
#define DRAG_STEP 0.01

/* A drag shorter than this many pixels only selects the cell. */
#define DRAG_THRESHOLD 3.0

static const char *const matrix_names[] = { "Q", "K", "V", "O" };

G_STATIC_ASSERT (G_N_ELEMENTS (matrix_names) == LS_N_ATTENTION_MATRICES);

struct _LsMatrixEditor
{
  GtkWidget parent_instance;

  LsNetwork *network;
  gsize layer;
  LsAttentionMatrix matrix;

  GtkWidget *box;
  GtkWidget *switcher[LS_N_ATTENTION_MATRICES];  /* GtkToggleButton */
  GtkWidget *caption;        /* GtkLabel: which matrix and its form */
  GtkWidget *heatmap;        /* GtkDrawingArea */
  GtkWidget *cell_label;     /* GtkLabel: the selected cell */
  GtkWidget *entry;          /* LsNumberEntry of the selected cell */
  GtkWidget *head;           /* GtkDropDown: the head the presets apply to */

  gboolean has_cell;
  gsize cell_row;            /* 0 to d − 1, or d for the bias row */
  gsize cell_column;
  double drag_start_value;

  /* The cell whose value the field shows, so that a change of cell can
   * tell that the field's text belongs to another cell. */
  gboolean field_has_cell;
  gsize field_row;
  gsize field_column;
  LsAttentionMatrix field_matrix;

  guint fit_height_id;       /* idle source that fits the heatmap's height, or 0 */
};

G_DEFINE_FINAL_TYPE (LsMatrixEditor, ls_matrix_editor, GTK_TYPE_WIDGET)

static const LsLayer *
get_layer (LsMatrixEditor *self)
{
  return ls_network_get_layer (self->network, self->layer);
}

/* Returns the value of cell (row, column), row d being the bias. */
static float
get_cell_value (LsMatrixEditor *self,
                gsize           row,
                gsize           column)
{
  const LsLayer *layer = get_layer (self);
  gsize d = layer->units;

  if (row == d)
    return ls_layer_get_attention_bias (layer, self->matrix)[column];

  return ls_layer_get_attention_matrix (layer, self->matrix)[row * d + column];
}

static gboolean
set_cell_value (LsMatrixEditor *self,
                gsize           row,
                gsize           column,
                float           value,
                GError        **error)
{
  if (row == get_layer (self)->units)
    return ls_network_set_attention_bias (self->network, self->layer, self->matrix, column, value, error);

  return ls_network_set_attention_weight (self->network, self->layer, self->matrix, row, column, value, error);
}

/* The heatmap's geometry, which depends on d only. */
typedef struct
{
  gsize d;
  double cell;
  double x0;       /* left of the first column */
  double y0;       /* top of the first row */
  double bias_y;   /* top of the bias row */
} Geometry;

/* Returns the smallest width that shows every column, at MIN_CELL. */
static int
get_minimum_width (gsize d)
{
  return (int) ceil (ROW_LABEL_WIDTH + d * MIN_CELL + HEAD_LABEL_WIDTH + 2);
}

/* Sizes the cells to a heatmap width, or to GRID_WIDTH for a width of 0,
 * before the first allocation. */
static void
get_geometry_for_width (LsMatrixEditor *self,
                        int             width,
                        Geometry       *g)
{
  double room = width > 0 ? MIN (width - ROW_LABEL_WIDTH - HEAD_LABEL_WIDTH - 2, GRID_WIDTH) : GRID_WIDTH;

  g->d = get_layer (self)->units;
  g->cell = CLAMP (floor (room / (double) g->d), MIN_CELL, MAX_CELL);
  g->x0 = ROW_LABEL_WIDTH;
  g->y0 = HEAD_LABEL_HEIGHT + COLUMN_LABEL_HEIGHT;
  g->bias_y = g->y0 + g->d * g->cell + BIAS_GAP;
}

static void
get_geometry (LsMatrixEditor *self,
              Geometry       *g)
{
  get_geometry_for_width (self, self->heatmap != NULL ? gtk_widget_get_width (self->heatmap) : 0, g);
}

gboolean
ls_matrix_editor_hit (LsMatrixEditor *self,
                      double          x,
                      double          y,
                      gsize          *row,
                      gsize          *column)
{
  Geometry g;
  double c;

  g_return_val_if_fail (LS_IS_MATRIX_EDITOR (self), FALSE);
  g_return_val_if_fail (row != NULL && column != NULL, FALSE);

  get_geometry (self, &g);
  c = floor ((x - g.x0) / g.cell);
  if (c < 0.0 || c >= (double) g.d)
    return FALSE;

  *column = (gsize) c;
  if (y >= g.bias_y && y < g.bias_y + g.cell)
    {
      *row = g.d;
      return TRUE;
    }

  if (y < g.y0 || y >= g.y0 + g.d * g.cell)
    return FALSE;
  *row = (gsize) floor ((y - g.y0) / g.cell);

  return TRUE;
}

/* Writes text centred at (x, y), or with its right edge at x when
 * right_aligned. */
static void
draw_text (cairo_t    *cr,
           PangoLayout *layout,
           const char *text,
           double      x,
           double      y,
           gboolean    right_aligned)
{
  int width, height;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, right_aligned ? x - width : x - width / 2.0, y - height / 2.0);
  pango_cairo_show_layout (cr, layout);
}

static void
fill_cell (cairo_t *cr,
           double   x,
           double   y,
           double   size,
           float    value)
{
  LsColor color;

  ls_palette_get_value_color (value, &color);
  cairo_set_source_rgb (cr, color.red, color.green, color.blue);
  cairo_rectangle (cr, x, y, size, size);
  cairo_fill (cr);
}

/* Writes the 1-based row and column numbers, every step-th where the
 * cells are too small for all, and "b" beside the bias row. */
static void
draw_indices (cairo_t        *cr,
              PangoLayout    *layout,
              const Geometry *g)
{
  gsize step = (gsize) ceil (14.0 / g->cell);

  for (gsize i = 0; i < g->d; i++)
    {
      g_autofree char *number = g_strdup_printf ("%zu", i + 1);

      if (i % step != 0)
        continue;
      draw_text (cr, layout, number, g->x0 - 4, g->y0 + (i + 0.5) * g->cell, TRUE);
      draw_text (cr, layout, number, g->x0 + (i + 0.5) * g->cell, HEAD_LABEL_HEIGHT + COLUMN_LABEL_HEIGHT / 2, FALSE);
    }
  draw_text (cr, layout, "b", g->x0 - 4, g->bias_y + g->cell / 2, TRUE);
}

/* Marks the heads' column groups of wq, wk or wv: a line between groups
 * from the top labels to the bias row, and "head N" above each group
 * that has room. */
static void
draw_head_columns (cairo_t        *cr,
                   PangoLayout    *layout,
                   const Geometry *g,
                   gsize           heads)
{
  gsize dh = g->d / heads;

  for (gsize h = 0; h < heads; h++)
    {
      g_autofree char *name = g_strdup_printf (_("head %zu"), h + 1);
      int width;

      pango_layout_set_text (layout, name, -1);
      pango_layout_get_pixel_size (layout, &width, NULL);
      if (width < dh * g->cell)
        draw_text (cr, layout, name, g->x0 + (h + 0.5) * dh * g->cell, HEAD_LABEL_HEIGHT / 2, FALSE);

      if (h > 0)
        {
          cairo_rectangle (cr, g->x0 + h * dh * g->cell - 1, 2, 2, g->bias_y + g->cell - 2);
          cairo_fill (cr);
        }
    }
}

/* Marks the heads' row groups of wo, whose row i multiplies context
 * feature i: a line between groups across the matrix, and "head N"
 * turned upright right of each group that has room. The bias row bo
 * belongs to no head. */
static void
draw_head_rows (cairo_t        *cr,
                PangoLayout    *layout,
                const Geometry *g,
                gsize           heads)
{
  gsize dh = g->d / heads;
  double right = g->x0 + g->d * g->cell;

  for (gsize h = 0; h < heads; h++)
    {
      g_autofree char *name = g_strdup_printf (_("head %zu"), h + 1);
      int width;

      pango_layout_set_text (layout, name, -1);
      pango_layout_get_pixel_size (layout, &width, NULL);
      if (width < dh * g->cell)
        {
          cairo_save (cr);
          cairo_translate (cr, right + HEAD_LABEL_WIDTH / 2, g->y0 + (h + 0.5) * dh * g->cell);
          cairo_rotate (cr, G_PI / 2);
          draw_text (cr, layout, name, 0, 0, FALSE);
          cairo_restore (cr);
        }

      if (h > 0)
        {
          cairo_rectangle (cr, 2, g->y0 + h * dh * g->cell - 1, right + HEAD_LABEL_WIDTH - 2, 2);
          cairo_fill (cr);
        }
    }
}

static void
draw_heatmap_cb (GtkDrawingArea *area,
                 cairo_t        *cr,
                 int             width,
                 int             height,
                 gpointer        user_data)
{
  LsMatrixEditor *self = user_data;
  const LsLayer *layer = get_layer (self);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), NULL);
  PangoFontDescription *font = NULL;
  GdkRGBA fg;
  Geometry g;

  get_geometry (self, &g);
  for (gsize i = 0; i <= g.d; i++)
    for (gsize j = 0; j < g.d; j++)
      fill_cell (cr, g.x0 + j * g.cell, i < g.d ? g.y0 + i * g.cell : g.bias_y, g.cell,
                 get_cell_value (self, i, j));

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
  gdk_cairo_set_source_rgba (cr, &fg);
  /* The labels take the window's font family, at a size that fits the
   * fixed label margins. */
  font = pango_font_description_copy (pango_context_get_font_description (pango_layout_get_context (layout)));
  pango_font_description_set_absolute_size (font, LABEL_PX * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  draw_indices (cr, layout, &g);
  if (self->matrix == LS_ATTENTION_OUTPUT)
    draw_head_rows (cr, layout, &g, layer->heads);
  else
    draw_head_columns (cr, layout, &g, layer->heads);

  if (self->has_cell)
    {
      double y = self->cell_row < g.d ? g.y0 + self->cell_row * g.cell : g.bias_y;

      cairo_set_line_width (cr, 2.0);
      cairo_rectangle (cr, g.x0 + self->cell_column * g.cell + 1, y + 1, g.cell - 2, g.cell - 2);
      cairo_stroke (cr);
    }
}

/* Moves the keyboard focus from the field to the heatmap before the
 * field changes cell. Leaving the field writes text typed there to the
 * cell that it showed, and a focused LsNumberEntry keeps its text, so
 * the field would otherwise keep the old cell's value and Enter would
 * write that value to the new cell. */
static void
release_field_focus (LsMatrixEditor *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus == NULL || (focus != self->entry && !gtk_widget_is_ancestor (focus, self->entry)))
    return;

  if (!gtk_widget_grab_focus (self->heatmap))
    gtk_root_set_focus (root, NULL);
}

/* Shows the selected cell's name and value in the field. */
static void
update_cell_field (LsMatrixEditor *self)
{
  gsize d = get_layer (self)->units;
  g_autofree char *text = NULL;

  gtk_widget_set_sensitive (self->entry, self->has_cell);
  if (!self->has_cell)
    {
      gtk_label_set_text (GTK_LABEL (self->cell_label), _("Click a cell to edit it, or drag it up or down."));
      return;
    }

  if (self->cell_row == d)
    text = g_strdup_printf (_("b%c, column %zu"), g_ascii_tolower (matrix_names[self->matrix][0]),
                            self->cell_column + 1);
  else
    text = g_strdup_printf (_("w%c, row %zu, column %zu"), g_ascii_tolower (matrix_names[self->matrix][0]),
                            self->cell_row + 1, self->cell_column + 1);
  gtk_label_set_text (GTK_LABEL (self->cell_label), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);

  if (!self->field_has_cell || self->field_row != self->cell_row || self->field_column != self->cell_column ||
      self->field_matrix != self->matrix)
    release_field_focus (self);
  self->field_has_cell = TRUE;
  self->field_row = self->cell_row;
  self->field_column = self->cell_column;
  self->field_matrix = self->matrix;
  ls_number_entry_set_value (LS_NUMBER_ENTRY (self->entry), get_cell_value (self, self->cell_row, self->cell_column));
}

void
ls_matrix_editor_select_cell (LsMatrixEditor *self,
                              gsize           row,
                              gsize           column)
{
  g_return_if_fail (LS_IS_MATRIX_EDITOR (self));
  g_return_if_fail (row <= get_layer (self)->units && column < get_layer (self)->units);

  /* Text typed for the previous cell goes to that cell. */
  release_field_focus (self);
  self->has_cell = TRUE;
  self->cell_row = row;
  self->cell_column = column;
  update_cell_field (self);
  gtk_widget_queue_draw (self->heatmap);
}

static void
entry_changed_cb (LsMatrixEditor *self,
                  LsNumberEntry  *entry)
{
  g_autoptr(GError) error = NULL;

  if (!self->has_cell)
    return;

  if (!set_cell_value (self, self->cell_row, self->cell_column, ls_number_entry_get_value (entry), &error))
    ls_panel_show_error (GTK_WIDGET (entry), error->message);
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               LsMatrixEditor *self)
{
  gsize row, column;

  if (!ls_matrix_editor_hit (self, x, y, &row, &column))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  ls_matrix_editor_select_cell (self, row, column);
  self->drag_start_value = get_cell_value (self, row, column);
}

/* Changes the selected cell by DRAG_STEP per pixel of vertical motion,
 * upwards for larger values. */
static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                LsMatrixEditor *self)
{
  g_autoptr(GError) error = NULL;
  double value;

  if (!self->has_cell || fabs (dy) < DRAG_THRESHOLD)
    return;

  value = self->drag_start_value - dy * DRAG_STEP;
  value = round (value / DRAG_STEP) * DRAG_STEP;
  if (!set_cell_value (self, self->cell_row, self->cell_column, (float) value, &error))
    ls_panel_show_error (self->heatmap, error->message);
}

static void
switcher_toggled_cb (GtkToggleButton *button,
                     LsMatrixEditor  *self)
{
  if (!gtk_toggle_button_get_active (button))
    return;

  release_field_focus (self);
  self->matrix = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "matrix"));
  ls_matrix_editor_update (self);
}

static void
preset_clicked_cb (GtkButton      *button,
                   LsMatrixEditor *self)
{
  LsAttentionPreset preset = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "preset"));
  gsize head = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->head));
  g_autoptr(GError) error = NULL;

  if (!ls_attention_apply_preset (self->network, self->layer, head, preset, &error))
    ls_panel_show_error (GTK_WIDGET (button), error->message);
}

static GtkWidget *
new_heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_add_css_class (label, "heading");

  return label;
}

static void
add_switcher (LsMatrixEditor *self)
{
  static const char *const tooltips[] = {
    N_("wq, the query matrix: q = x·wq + bq"),
    N_("wk, the key matrix: k = x·wk + bk"),
    N_("wv, the value matrix: v = x·wv + bv"),
    N_("wo, the output matrix: attention = c·wo + bo"),
  };
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  gtk_widget_add_css_class (row, "linked");
  for (guint m = 0; m < LS_N_ATTENTION_MATRICES; m++)
    {
      self->switcher[m] = gtk_toggle_button_new_with_label (matrix_names[m]);
      gtk_widget_set_tooltip_text (self->switcher[m], _(tooltips[m]));
      g_object_set_data (G_OBJECT (self->switcher[m]), "matrix", GUINT_TO_POINTER (m));
      if (m > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (self->switcher[m]), GTK_TOGGLE_BUTTON (self->switcher[0]));
      g_signal_connect (self->switcher[m], "toggled", G_CALLBACK (switcher_toggled_cb), self);
      gtk_box_append (GTK_BOX (row), self->switcher[m]);
    }
  gtk_box_append (GTK_BOX (self->box), row);

  self->caption = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->caption), 0.0);
  gtk_label_set_wrap (GTK_LABEL (self->caption), TRUE);
  gtk_widget_add_css_class (self->caption, "dim-label");
  gtk_box_append (GTK_BOX (self->box), self->caption);
}

static gboolean
fit_heatmap_height_cb (gpointer user_data)
{
  LsMatrixEditor *self = user_data;
  Geometry g;

  self->fit_height_id = 0;
  get_geometry (self, &g);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self->heatmap), (int) ceil (g.bias_y + g.cell + 2));

  return G_SOURCE_REMOVE;
}

/* Fits the height to the cell size of the new width, from an idle
 * callback because GTK drops a new size request made during the
 * allocation. */
static void
heatmap_resize_cb (GtkDrawingArea *area,
                   int             width,
                   int             height,
                   LsMatrixEditor *self)
{
  if (self->fit_height_id == 0)
    self->fit_height_id = g_idle_add (fit_heatmap_height_cb, self);
}

static void
add_heatmap (LsMatrixEditor *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  Geometry g;

  self->heatmap = gtk_drawing_area_new ();
  get_geometry (self, &g);
  /* The heatmap takes the pane's width, so that it never reaches past
   * the pane's edge, and its height follows the cell size. */
  gtk_widget_set_size_request (self->heatmap, get_minimum_width (g.d), -1);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self->heatmap), (int) ceil (g.bias_y + g.cell + 2));
  gtk_widget_set_hexpand (self->heatmap, TRUE);
  gtk_widget_set_focusable (self->heatmap, TRUE);
  g_signal_connect (self->heatmap, "resize", G_CALLBACK (heatmap_resize_cb), self);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->heatmap), draw_heatmap_cb, self, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->heatmap), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Heatmap of the matrix. Click a cell to edit it, or drag it up or down."), -1);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (self->heatmap, GTK_EVENT_CONTROLLER (drag));
  gtk_box_append (GTK_BOX (self->box), self->heatmap);

  self->cell_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->cell_label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (self->cell_label), TRUE);
  gtk_widget_set_hexpand (self->cell_label, TRUE);
  self->entry = ls_number_entry_new ();
  ls_number_entry_set_step (LS_NUMBER_ENTRY (self->entry), 0.1);
  g_signal_connect_swapped (self->entry, "value-changed", G_CALLBACK (entry_changed_cb), self);
  gtk_box_append (GTK_BOX (row), self->cell_label);
  gtk_box_append (GTK_BOX (row), self->entry);
  gtk_box_append (GTK_BOX (self->box), row);
}

static GtkWidget *
new_head_dropdown (gsize heads)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *dropdown;

  for (gsize h = 0; h < heads; h++)
    g_ptr_array_add (names, g_strdup_printf (_("Head %zu"), h + 1));
  g_ptr_array_add (names, NULL);

  dropdown = gtk_drop_down_new_from_strings ((const char * const *) names->pdata);
  gtk_widget_set_tooltip_text (dropdown, _("The head whose query and key columns a preset replaces"));

  return dropdown;
}

static void
add_presets (LsMatrixEditor *self)
{
  static const char *const tooltips[] = {
    N_("Sets the head's query columns to 0, so that every token attends equally to all the tokens it may see"),
    N_("Rotates the position code by one step in the queries. The pattern is clear only where the position "
       "codes are larger than the word embeddings."),
    N_("Compares each token with itself in the queries and the keys, scaled for the current text"),
  };
  GtkWidget *flow = gtk_flow_box_new ();

  G_STATIC_ASSERT (G_N_ELEMENTS (tooltips) == LS_N_ATTENTION_PRESETS);

  gtk_box_append (GTK_BOX (self->box), new_heading (_("Head presets")));
  self->head = new_head_dropdown (get_layer (self)->heads);
  gtk_box_append (GTK_BOX (self->box), self->head);

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 3);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 6);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 6);
  for (guint p = 0; p < LS_N_ATTENTION_PRESETS; p++)
    {
      GtkWidget *button = gtk_button_new_with_label (ls_attention_preset_get_display_name (p));

      gtk_widget_set_tooltip_text (button, _(tooltips[p]));
      g_object_set_data (G_OBJECT (button), "preset", GUINT_TO_POINTER (p));
      g_signal_connect (button, "clicked", G_CALLBACK (preset_clicked_cb), self);
      gtk_flow_box_append (GTK_FLOW_BOX (flow), button);
    }
  gtk_box_append (GTK_BOX (self->box), flow);
}

LsAttentionMatrix
ls_matrix_editor_get_matrix (LsMatrixEditor *self)
{
  g_return_val_if_fail (LS_IS_MATRIX_EDITOR (self), LS_ATTENTION_QUERY);

  return self->matrix;
}

void
ls_matrix_editor_set_matrix (LsMatrixEditor    *self,
                             LsAttentionMatrix  matrix)
{
  g_return_if_fail (LS_IS_MATRIX_EDITOR (self));
  g_return_if_fail (matrix < LS_N_ATTENTION_MATRICES);

  /* The toggled handler stores the matrix and updates the view. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->switcher[matrix]), TRUE);
}

void
ls_matrix_editor_set_head (LsMatrixEditor *self,
                           gsize           head)
{
  g_return_if_fail (LS_IS_MATRIX_EDITOR (self));
  g_return_if_fail (head < get_layer (self)->heads);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->head), head);
}

gsize
ls_matrix_editor_get_head (LsMatrixEditor *self)
{
  g_return_val_if_fail (LS_IS_MATRIX_EDITOR (self), 0);

  return gtk_drop_down_get_selected (GTK_DROP_DOWN (self->head));
}

void
ls_matrix_editor_update (LsMatrixEditor *self)
{
  static const char *const captions[] = {
    N_("wq [%zu × %zu]: row i, column j multiplies input feature i into query feature j."),
    N_("wk [%zu × %zu]: row i, column j multiplies input feature i into key feature j."),
    N_("wv [%zu × %zu]: row i, column j multiplies input feature i into value feature j."),
    N_("wo [%zu × %zu]: row i, column j multiplies context feature i into output feature j."),
  };
  gsize d;
  g_autofree char *caption = NULL;

  g_return_if_fail (LS_IS_MATRIX_EDITOR (self));

  d = get_layer (self)->units;
  caption = g_strdup_printf (_(captions[self->matrix]), d, d);
  gtk_label_set_text (GTK_LABEL (self->caption), caption);
  update_cell_field (self);
  gtk_widget_queue_draw (self->heatmap);
}

static void
ls_matrix_editor_dispose (GObject *object)
{
  LsMatrixEditor *self = LS_MATRIX_EDITOR (object);

  g_clear_handle_id (&self->fit_height_id, g_source_remove);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->network);

  G_OBJECT_CLASS (ls_matrix_editor_parent_class)->dispose (object);
}

static void
ls_matrix_editor_class_init (LsMatrixEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_matrix_editor_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "matrixeditor");
}

static void
ls_matrix_editor_init (LsMatrixEditor *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
}

GtkWidget *
ls_matrix_editor_new (LsNetwork *network,
                      gsize      layer)
{
  LsMatrixEditor *self;

  g_return_val_if_fail (LS_IS_NETWORK (network), NULL);
  g_return_val_if_fail (layer < ls_network_get_n_layers (network), NULL);
  g_return_val_if_fail (ls_network_get_layer (network, layer)->kind == LS_LAYER_ATTENTION, NULL);

  self = g_object_new (LS_TYPE_MATRIX_EDITOR, NULL);
  self->network = g_object_ref (network);
  self->layer = layer;

  add_switcher (self);
  add_heatmap (self);
  add_presets (self);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->switcher[LS_ATTENTION_QUERY]), TRUE);
  ls_matrix_editor_update (self);

  return GTK_WIDGET (self);
}
