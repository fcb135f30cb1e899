/* ls-diagram-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <math.h>

#include "ls-diagram-layout-private.h"
#include "ls-diagram-view.h"
#include "ls-explain.h"
#include "ls-number.h"

/* Weight steps of the edge edits. A wheel click or an arrow key moves the
 * selected weight by WEIGHT_STEP, or by ten times that with Ctrl. A
 * touchpad scroll moves it by WEIGHT_STEP per 10 pixels. Dragging moves it
 * by WEIGHT_STEP per pixel upward, or by a tenth of that with Shift. Only
 * the selected edge changes, and only with the pointer on it: scrolling
 * or dragging over any other edge does not edit it. */
#define WEIGHT_STEP 0.01
#define COARSE_FACTOR 10.0
#define FINE_FACTOR 0.1
#define PIXELS_PER_SCROLL_STEP 10.0

struct _LsDiagramView
{
  GtkWidget parent_instance;

  LsNetwork *network;          /* nullable */
  LsSelection selection;
  double font_scale;
  gboolean scale_feature_maps;
  LsPlaneMap *plane_map;       /* nullable, not owned: see ls_diagram_view_set_plane_map() */

  LsDiagramLayout *layout;     /* nullable: built on the next draw or hit-test */
  gboolean *expanded;          /* [n_expanded]: compact columns that the user
                                * expanded to show all their units */
  gsize n_expanded;

  double pointer_x;            /* last pointer position, for scrolling */
  double pointer_y;
  gboolean press_on_selection; /* the last button press hit the edge that
                                * was already selected */
  float drag_start_weight;     /* weight of the selected edge when a drag began */
  gboolean drag_started;       /* the pointer moved past the drag threshold */
  double drag_origin_y;        /* drag offset at which it did */
};

/* The widget's minimum size, whatever the font scale: the diagram shrinks
 * its text to fit a small area, so a larger font scale never makes the
 * window grow. */
#define MIN_WIDTH 240
#define MIN_HEIGHT 200

G_DEFINE_FINAL_TYPE (LsDiagramView, ls_diagram_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_NETWORK,
  PROP_FONT_SCALE,
  PROP_SCALE_FEATURE_MAPS,
  N_PROPS
};

enum {
  SELECTION_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
get_style (LsDiagramView *self,
           LsRenderStyle *style)
{
  *style = (LsRenderStyle) LS_RENDER_STYLE_INIT;
  style->dark = adw_is_initialized () && adw_style_manager_get_dark (adw_style_manager_get_default ());
  style->font_scale = self->font_scale;
  style->font_px = LS_RENDER_WINDOW_FONT_PX;
  style->scale_feature_maps = self->scale_feature_maps;
  style->plane_map = self->plane_map;
}

/* Returns the layout for the current size and structure, building it when
 * needed, or NULL without a network or before the first allocation. */
static const LsDiagramLayout *
ensure_layout (LsDiagramView *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  LsRenderStyle style;

  if (self->network == NULL || width <= 0 || height <= 0)
    return NULL;

  if (self->layout != NULL &&
      (self->layout->width != width || self->layout->height != height ||
       !ls_diagram_layout_matches (self->layout, self->network)))
    g_clear_pointer (&self->layout, ls_diagram_layout_free);

  if (self->layout == NULL)
    {
      get_style (self, &style);
      self->layout = ls_diagram_layout_new_expanded (self->network, width, height, &style,
                                                     self->expanded, self->n_expanded);
    }

  return self->layout;
}

static gsize
get_column_units (LsNetwork *network,
                  gsize      column)
{
  return ls_shape_get_size (ls_network_get_layer_input_shape (network, column));
}

/* Returns the name of one value of a column: a neuron's name, or for an
 * image or feature maps its position counted from 1, e.g. "row 5,
 * column 7", "channel 3, row 5, column 7" for an input image or "map 3,
 * row 5, column 7", with the map's label in place of "map 3" where the
 * layer has one. */
static char *
dup_value_name (LsNetwork *network,
                gsize      column,
                gsize      unit)
{
  const LsShape *shape = ls_network_get_layer_input_shape (network, column);
  const char *label = NULL;
  gsize plane, row, col;

  if (shape->rank != 3)
    return ls_explain_neuron_name (network, column, unit);

  plane = shape->dims[1] * shape->dims[2];
  row = (unit % plane) / shape->dims[2];
  col = unit % shape->dims[2];
  if (column > 0)
    label = ls_layer_get_label (ls_network_get_layer (network, column - 1), unit / plane);
  if (label != NULL && label[0] != '\0')
    /* TRANSLATORS: a pixel of a labelled feature map, e.g. "vertical, row 2, column 3", counted from 1 */
    return g_strdup_printf (_("%s, row %zu, column %zu"), label, row + 1, col + 1);

  if (column > 0)
    /* TRANSLATORS: a pixel of one feature map, counted from 1, named as the inspector names it */
    return g_strdup_printf (_("map %zu, row %zu, column %zu"), unit / plane + 1, row + 1, col + 1);

  if (shape->dims[0] == 1)
    /* TRANSLATORS: a pixel of an image, counted from 1 */
    return g_strdup_printf (_("row %zu, column %zu"), row + 1, col + 1);

  /* TRANSLATORS: a pixel of one channel of an input image, counted from 1 */
  return g_strdup_printf (_("channel %zu, row %zu, column %zu"), unit / plane + 1, row + 1, col + 1);
}

/* Returns whether the selection names a value or an edge of the network.
 * Only dense layers have edges. */
static gboolean
is_selection_valid (LsNetwork         *network,
                    const LsSelection *selection)
{
  gsize n_columns = ls_network_get_n_layers (network) + 1;

  switch (selection->kind)
    {
    case LS_SELECTION_NONE:
      return TRUE;

    case LS_SELECTION_NEURON:
      return selection->column < n_columns &&
             selection->unit < get_column_units (network, selection->column);

    case LS_SELECTION_EDGE:
      return ls_diagram_has_edges_into (network, selection->column) &&
             selection->unit < get_column_units (network, selection->column) &&
             selection->input < get_column_units (network, selection->column - 1);

    default:
      return FALSE;
    }
}

static gboolean
selection_equal (const LsSelection *a,
                 const LsSelection *b)
{
  if (a->kind != b->kind)
    return FALSE;

  switch (a->kind)
    {
    case LS_SELECTION_NEURON:
      return a->column == b->column && a->unit == b->unit;

    case LS_SELECTION_EDGE:
      return a->column == b->column && a->unit == b->unit && a->input == b->input;

    case LS_SELECTION_NONE:
    default:
      return TRUE;
    }
}

/* Returns a sentence about one value of a layer that is not dense: a
 * pixel of feature maps or a value of a flatten layer. */
static char *
describe_layer_value (LsNetwork *network,
                      gsize      column,
                      gsize      unit)
{
  const LsLayer *layer = ls_network_get_layer (network, column - 1);
  g_autofree char *title = ls_diagram_dup_column_title (network, column);
  g_autofree char *value = ls_format_value (layer->activation_output[unit]);
  g_autofree char *name = NULL;

  if (layer->output_shape.rank == 3)
    name = dup_value_name (network, column, unit);
  else
    /* TRANSLATORS: one value of a flatten layer, counted from 1 */
    name = g_strdup_printf (_("value %zu"), unit + 1);

  /* TRANSLATORS: a layer's title, one of its values and that value,
   * e.g. "conv 1, channel 3, row 5, column 7: 0.42" */
  return g_strdup_printf (_("%s, %s: %s"), title, name, value);
}

/* Returns a sentence about the neuron or edge, for the tooltip and for
 * screen readers, e.g. "Weight from pixel 1 to h1: 0.40". */
static char *
describe_selection (LsNetwork         *network,
                    const LsSelection *selection)
{
  g_autofree char *name = NULL;
  g_autofree char *from = NULL;
  g_autofree char *value = NULL;
  const LsLayer *layer;

  if (selection->kind == LS_SELECTION_NONE)
    return g_strdup (_("Network diagram. Click a neuron, a pixel or a connection to select it."));

  name = dup_value_name (network, selection->column, selection->unit);
  if (selection->kind == LS_SELECTION_NEURON && selection->column == 0)
    {
      value = ls_format_value (ls_network_get_input (network)[selection->unit]);
      return g_strdup_printf (_("Input %s: %s"), name, value);
    }

  layer = ls_network_get_layer (network, selection->column - 1);
  if (selection->kind == LS_SELECTION_NEURON && layer->kind == LS_LAYER_DENSE)
    {
      value = ls_format_value (layer->activation_output[selection->unit]);
      /* TRANSLATORS: a neuron, its activation function and its output, e.g. "h1 (ReLU): 0.62" */
      return g_strdup_printf (_("%s (%s): %s"), name,
                              ls_activation_get_display_name (layer->activation), value);
    }

  if (selection->kind == LS_SELECTION_NEURON)
    return describe_layer_value (network, selection->column, selection->unit);

  from = dup_value_name (network, selection->column - 1, selection->input);
  value = ls_format_value (ls_layer_get_weight (layer, selection->input, selection->unit));

  return g_strdup_printf (_("Weight from %s to %s: %s"), from, name, value);
}

static void
update_accessible_description (LsDiagramView *self)
{
  g_autofree char *description = NULL;

  if (self->network == NULL)
    return;

  description = describe_selection (self->network, &self->selection);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

/* Replaces the selection, redraws and emits ::selection-changed when it
 * differs. NULL clears it. */
static void
change_selection (LsDiagramView     *self,
                  const LsSelection *selection)
{
  static const LsSelection none = { LS_SELECTION_NONE };

  if (selection == NULL)
    selection = &none;

  if (selection_equal (&self->selection, selection))
    return;

  self->selection = *selection;
  update_accessible_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

/* Sets the selected edge's weight, rounded to 4 decimals so that repeated
 * steps of 0.01 show 0.43 rather than 0.42999998. */
static void
set_selected_weight (LsDiagramView *self,
                     double         weight)
{
  const LsSelection *s = &self->selection;
  g_autoptr(GError) error = NULL;

  g_assert (s->kind == LS_SELECTION_EDGE);

  weight = round (weight * 1e4) / 1e4;
  if (!ls_network_set_weight (self->network, s->column - 1, s->input, s->unit, (float) weight, &error))
    g_warning ("Could not change the weight: %s", error->message);
}

static float
get_selected_weight (LsDiagramView *self)
{
  const LsSelection *s = &self->selection;

  return ls_layer_get_weight (ls_network_get_layer (self->network, s->column - 1), s->input, s->unit);
}

/* Returns the neuron or edge under (x, y), or FALSE over empty space. */
static gboolean
hit (LsDiagramView *self,
     double         x,
     double         y,
     LsSelection   *result)
{
  const LsDiagramLayout *layout = ensure_layout (self);

  if (layout == NULL)
    return FALSE;

  return ls_diagram_layout_hit (layout, self->network, x, y, result);
}

/* Returns whether the selected edge is under (x, y). */
static gboolean
is_on_selected_edge (LsDiagramView *self,
                     double         x,
                     double         y)
{
  LsSelection selection;

  return self->selection.kind == LS_SELECTION_EDGE &&
         hit (self, x, y, &selection) && selection_equal (&selection, &self->selection);
}

/* Returns whether (x, y) is on a column's "Show all" or "Show fewer"
 * button, or its ellipsis, and which column that is. */
static gboolean
hit_expander (LsDiagramView *self,
              double         x,
              double         y,
              gsize         *column)
{
  const LsDiagramLayout *layout = ensure_layout (self);

  return layout != NULL && ls_diagram_layout_hit_expander (layout, x, y, column);
}

/* Forgets which columns were expanded when the network has a different
 * number of columns, because the same index would name another layer. */
static void
check_expanded_columns (LsDiagramView *self)
{
  gsize n_columns = self->network != NULL ? ls_network_get_n_layers (self->network) + 1 : 0;

  if (self->n_expanded == n_columns)
    return;

  g_clear_pointer (&self->expanded, g_free);
  self->n_expanded = n_columns;
  if (n_columns > 0)
    self->expanded = g_new0 (gboolean, n_columns);
}

/* Shows every unit of a compact column, or packs them away again. */
static void
toggle_expanded (LsDiagramView *self,
                 gsize          column)
{
  check_expanded_columns (self);
  g_return_if_fail (column < self->n_expanded);

  self->expanded[column] = !self->expanded[column];
  g_clear_pointer (&self->layout, ls_diagram_layout_free);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
click_pressed_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  LsDiagramView   *self)
{
  LsSelection selection;

  gsize column;

  /* The drag gesture handles this press too, maybe after this handler
   * has changed the selection, so it reads the old state from here. */
  self->press_on_selection = is_on_selected_edge (self, x, y);

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (hit_expander (self, x, y, &column))
    toggle_expanded (self, column);
  else if (hit (self, x, y, &selection))
    change_selection (self, &selection);
  else
    change_selection (self, NULL);
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           LsDiagramView            *self)
{
  LsSelection selection;
  gsize column;
  gboolean active;

  self->pointer_x = x;
  self->pointer_y = y;
  active = hit_expander (self, x, y, &column) || hit (self, x, y, &selection);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), active ? "pointer" : NULL);
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           LsDiagramView            *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  double step = WEIGHT_STEP;

  /* Anywhere else, the scroll goes on to the widgets around, so the wheel
   * never edits an edge that the pointer merely passes over. */
  if (!is_on_selected_edge (self, self->pointer_x, self->pointer_y))
    return FALSE;

  if (state & GDK_CONTROL_MASK)
    step *= COARSE_FACTOR;
  if (gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_SURFACE)
    step /= PIXELS_PER_SCROLL_STEP;

  /* scrolling up (negative dy) raises the weight */
  set_selected_weight (self, get_selected_weight (self) - dy * step);

  return TRUE;
}

/* A drag starts on any edge, so that the press still selects it, but it
 * edits the weight only when that edge was selected before the press. */
static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               LsDiagramView  *self)
{
  LsSelection selection;

  if (!hit (self, x, y, &selection) || selection.kind != LS_SELECTION_EDGE)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  self->drag_started = FALSE;
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          offset_x,
                double          offset_y,
                LsDiagramView  *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  double step = WEIGHT_STEP;

  if (self->selection.kind != LS_SELECTION_EDGE || self->network == NULL)
    return;

  /* A click that jitters by a pixel must not change the weight. */
  if (!self->drag_started)
    {
      if (!gtk_drag_check_threshold (GTK_WIDGET (self), 0, 0, (int) offset_x, (int) offset_y))
        return;

      if (!self->press_on_selection)
        {
          gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
          return;
        }

      self->drag_started = TRUE;
      self->drag_origin_y = offset_y;
      self->drag_start_weight = get_selected_weight (self);
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
    }

  if (state & GDK_SHIFT_MASK)
    step *= FINE_FACTOR;

  /* dragging up (negative offset) raises the weight */
  set_selected_weight (self, self->drag_start_weight - (offset_y - self->drag_origin_y) * step);
}

/* Arrow keys as steps: dx −1 for Left and +1 for Right, dy likewise for
 * Up and Down, and dchannel for Page Up and Page Down. */
typedef struct
{
  int dx;
  int dy;
  int dchannel;
} KeyStep;

static gboolean
get_key_step (guint    keyval,
              KeyStep *step)
{
  *step = (KeyStep) { 0, 0, 0 };

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      step->dx = -1;
      return TRUE;

    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      step->dx = 1;
      return TRUE;

    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      step->dy = -1;
      return TRUE;

    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      step->dy = 1;
      return TRUE;

    case GDK_KEY_Page_Up:
    case GDK_KEY_KP_Page_Up:
      step->dchannel = -1;
      return TRUE;

    case GDK_KEY_Page_Down:
    case GDK_KEY_KP_Page_Down:
      step->dchannel = 1;
      return TRUE;

    default:
      return FALSE;
    }
}

/* Returns whether index + delta lies in [0, limit), and sets *result to it. */
static gboolean
step_index (gsize  index,
            int    delta,
            gsize  limit,
            gsize *result)
{
  if ((delta < 0 && index < (gsize) -delta) || index + (gsize) MAX (delta, 0) >= limit)
    return FALSE;

  *result = (gsize) ((gssize) index + delta);

  return TRUE;
}

/* Moves the selected pixel one step within its tile. Up from the top
 * row and down from the bottom row go on to the channel before or after,
 * as do Page Up and Page Down. Returns FALSE where the step leaves the
 * shown tiles. */
static gboolean
move_in_tiles (const LsDiagramColumn *column,
               const KeyStep         *step,
               gsize                 *unit)
{
  gsize plane = column->height * column->width;
  gsize channel = *unit / plane;
  gsize row = (*unit % plane) / column->width;
  gsize col = *unit % column->width;
  gsize n_channels = column->color == LS_DIAGRAM_TILE_RGB ? 1 : column->n_tiles;
  int dchannel = step->dchannel;

  if (step->dx != 0 && !step_index (col, step->dx, column->width, &col))
    return FALSE;

  if (step->dy != 0 && !step_index (row, step->dy, column->height, &row))
    {
      dchannel = step->dy;
      row = step->dy < 0 ? column->height - 1 : 0;
    }

  if (dchannel != 0 && !step_index (channel, dchannel, n_channels, &channel))
    return FALSE;

  *unit = (channel * column->height + row) * column->width + col;

  return TRUE;
}

/* Moves the selected cell of a token sequence one step: Up and Down to
 * the same feature of the token before or after, and Left and Right to
 * the neighbouring feature of the same token. Returns FALSE where the
 * step leaves the rows, so that Left and Right go on to the next column
 * from a row's ends. */
static gboolean
move_in_sequence (const LsDiagramColumn *column,
                  const KeyStep         *step,
                  gsize                 *unit)
{
  gsize token = *unit / column->features;
  gsize feature = *unit % column->features;

  if (step->dy != 0 && !step_index (token, step->dy, column->tokens, &token))
    return FALSE;

  if (step->dx != 0 && !step_index (feature, step->dx, column->features, &feature))
    return FALSE;

  if (step->dx == 0 && step->dy == 0)
    return FALSE;

  *unit = token * column->features + feature;

  return TRUE;
}

/* Moves the selected unit of a neuron, packed or bar column one step:
 * Up and Down to the unit before or after that the column shows, and
 * Left and Right across the grid of packed squares. Returns FALSE where
 * the step leaves the column. */
static gboolean
move_in_column (const LsDiagramColumn *column,
                const KeyStep         *step,
                gsize                 *unit)
{
  gsize slot;

  if (column->kind == LS_DIAGRAM_SEQUENCE)
    return move_in_sequence (column, step, unit);

  if (column->kind == LS_DIAGRAM_PACKED && step->dx != 0)
    return step_index (*unit, step->dx * (int) column->rows, column->units, unit);

  if (step->dy == 0)
    return FALSE;

  if (column->kind != LS_DIAGRAM_NEURONS)
    return step_index (*unit, step->dy, column->units, unit);

  if (!ls_diagram_column_find_slot (column, *unit, &slot) ||
      !step_index (slot, step->dy, ls_diagram_column_get_n_slots (column), &slot))
    return FALSE;

  /* the ellipsis always has shown slots on both sides */
  if (ls_diagram_column_get_slot_unit (column, slot) == LS_DIAGRAM_NO_UNIT)
    slot += step->dy;
  *unit = ls_diagram_column_get_slot_unit (column, slot);

  return TRUE;
}

/* Moves the selection to the unit of the column left or right that is
 * nearest to the selected one. */
static gboolean
move_to_column (const LsDiagramLayout *layout,
                LsSelection           *selection,
                int                    dx)
{
  const LsDiagramColumn *column = &layout->columns[selection->column];
  const LsDiagramColumn *target;
  gsize next;
  double x, y;

  if (dx == 0 || !step_index (selection->column, dx, layout->n_columns, &next))
    return FALSE;

  if (!ls_diagram_layout_get_unit_center (layout, selection->column, selection->unit, &x, &y))
    y = column->bounds.y + column->bounds.height / 2.0;

  target = &layout->columns[next];
  x = dx > 0 ? target->bounds.x : target->bounds.x + target->bounds.width;
  if (!ls_diagram_layout_find_nearest_unit (layout, next, x, y, &selection->unit))
    return FALSE;
  selection->column = next;

  return TRUE;
}

/* Moves the selected neuron or pixel with an arrow key: within its tile,
 * its grid or its column first, and else to the next column in the
 * arrow's direction. Returns whether the key is one of those keys. */
static gboolean
move_selection (LsDiagramView *self,
                guint          keyval)
{
  const LsDiagramLayout *layout = ensure_layout (self);
  LsSelection next = self->selection;
  const LsDiagramColumn *column;
  KeyStep step;
  gboolean moved;

  if (layout == NULL || !get_key_step (keyval, &step))
    return FALSE;

  column = &layout->columns[next.column];
  if (column->kind == LS_DIAGRAM_TILES)
    moved = move_in_tiles (column, &step, &next.unit);
  else
    moved = move_in_column (column, &step, &next.unit);

  if (!moved)
    moved = move_to_column (layout, &next, step.dx);

  if (moved)
    change_selection (self, &next);

  return TRUE;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                LsDiagramView         *self)
{
  double step = (state & GDK_CONTROL_MASK) ? WEIGHT_STEP * COARSE_FACTOR : WEIGHT_STEP;

  if (keyval == GDK_KEY_Escape && self->selection.kind != LS_SELECTION_NONE)
    {
      change_selection (self, NULL);
      return TRUE;
    }

  if (self->network == NULL)
    return FALSE;

  if (self->selection.kind == LS_SELECTION_NEURON)
    return move_selection (self, keyval);

  if (self->selection.kind != LS_SELECTION_EDGE)
    return FALSE;

  if (keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up)
    set_selected_weight (self, get_selected_weight (self) + step);
  else if (keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down)
    set_selected_weight (self, get_selected_weight (self) - step);
  else
    return FALSE;

  return TRUE;
}

static gboolean
ls_diagram_view_query_tooltip (GtkWidget  *widget,
                               int         x,
                               int         y,
                               gboolean    keyboard_mode,
                               GtkTooltip *tooltip)
{
  LsDiagramView *self = LS_DIAGRAM_VIEW (widget);
  g_autofree char *description = NULL;
  g_autofree char *text = NULL;
  LsSelection selection;
  gsize column;

  if (keyboard_mode)
    return FALSE;

  if (hit_expander (self, x, y, &column))
    {
      gboolean packed = self->layout->columns[column].kind == LS_DIAGRAM_PACKED;

      gtk_tooltip_set_text (tooltip, packed ? _("Show only the first and last units of this layer")
                                            : _("Show every unit of this layer as a small square"));
      return TRUE;
    }

  if (!hit (self, x, y, &selection))
    return FALSE;

  description = describe_selection (self->network, &selection);
  if (selection.kind == LS_SELECTION_EDGE && selection_equal (&selection, &self->selection))
    text = g_strdup_printf ("%s\n%s", description,
                            _("Scroll or drag up and down to change it. Ctrl scrolls faster."));
  else if (selection.kind == LS_SELECTION_EDGE)
    text = g_strdup_printf ("%s\n%s", description,
                            _("Click to select it, then scroll or drag up and down to change it."));

  gtk_tooltip_set_text (tooltip, text != NULL ? text : description);

  return TRUE;
}

/* The network has rerun its forward pass before it emits, so one redraw
 * shows the new numbers. A new structure or new labels need a new layout,
 * and may leave the selection pointing at a neuron that is gone. */
static void
network_changed_cb (LsNetwork     *network,
                    guint          change,
                    LsDiagramView *self)
{
  if (change & (LS_CHANGE_STRUCTURE | LS_CHANGE_METADATA))
    g_clear_pointer (&self->layout, ls_diagram_layout_free);
  else if ((change & LS_CHANGE_VALUES) && self->layout != NULL)
    ls_diagram_layout_invalidate_values (self->layout);
  if (change & LS_CHANGE_STRUCTURE)
    check_expanded_columns (self);

  if (!is_selection_valid (network, &self->selection))
    change_selection (self, NULL);
  else
    update_accessible_description (self);

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
style_changed_cb (LsDiagramView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ls_diagram_view_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  LsDiagramView *self = LS_DIAGRAM_VIEW (widget);
  const LsDiagramLayout *layout = ensure_layout (self);
  LsRenderStyle style;
  cairo_t *cr;

  if (layout == NULL)
    return;

  get_style (self, &style);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, layout->width, layout->height));
  ls_render_diagram (cr, self->network, layout, &self->selection, &style);
  cairo_destroy (cr);
}

static void
ls_diagram_view_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MIN_WIDTH;
      *natural = 800;
    }
  else
    {
      *minimum = MIN_HEIGHT;
      *natural = 600;
    }
}

static void
ls_diagram_view_dispose (GObject *object)
{
  LsDiagramView *self = LS_DIAGRAM_VIEW (object);

  g_clear_pointer (&self->layout, ls_diagram_layout_free);
  g_clear_pointer (&self->expanded, g_free);
  self->n_expanded = 0;
  g_clear_object (&self->network);

  G_OBJECT_CLASS (ls_diagram_view_parent_class)->dispose (object);
}

static void
ls_diagram_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LsDiagramView *self = LS_DIAGRAM_VIEW (object);

  switch (prop_id)
    {
    case PROP_NETWORK:
      g_value_set_object (value, self->network);
      break;

    case PROP_FONT_SCALE:
      g_value_set_double (value, self->font_scale);
      break;

    case PROP_SCALE_FEATURE_MAPS:
      g_value_set_boolean (value, self->scale_feature_maps);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ls_diagram_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  LsDiagramView *self = LS_DIAGRAM_VIEW (object);

  switch (prop_id)
    {
    case PROP_NETWORK:
      ls_diagram_view_set_network (self, g_value_get_object (value));
      break;

    case PROP_FONT_SCALE:
      ls_diagram_view_set_font_scale (self, g_value_get_double (value));
      break;

    case PROP_SCALE_FEATURE_MAPS:
      ls_diagram_view_set_scale_feature_maps (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ls_diagram_view_class_init (LsDiagramViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_diagram_view_dispose;
  object_class->get_property = ls_diagram_view_get_property;
  object_class->set_property = ls_diagram_view_set_property;

  widget_class->snapshot = ls_diagram_view_snapshot;
  widget_class->measure = ls_diagram_view_measure;
  widget_class->query_tooltip = ls_diagram_view_query_tooltip;

  properties[PROP_NETWORK] =
    g_param_spec_object ("network", NULL, NULL, LS_TYPE_NETWORK,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FONT_SCALE] =
    g_param_spec_double ("font-scale", NULL, NULL, 0.5, 4.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCALE_FEATURE_MAPS] =
    g_param_spec_boolean ("scale-feature-maps", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LsDiagramView::selection-changed:
   *
   * Emitted when the selected neuron or edge changes, by a click, a key,
   * ls_diagram_view_set_selection(), or an edit that removed it.
   */
  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "diagram-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
add_controllers (LsDiagramView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  GtkEventController *key = gtk_event_controller_key_new ();

  g_signal_connect (click, "pressed", G_CALLBACK (click_pressed_cb), self);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (motion, "enter", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  g_signal_connect (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);

  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
}

static void
ls_diagram_view_init (LsDiagramView *self)
{
  self->font_scale = 1.0;
  self->selection.kind = LS_SELECTION_NONE;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Network diagram"),
                                  -1);
  add_controllers (self);

  if (adw_is_initialized ())
    g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                             G_CALLBACK (style_changed_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
ls_diagram_view_new (void)
{
  return g_object_new (LS_TYPE_DIAGRAM_VIEW, NULL);
}

LsNetwork *
ls_diagram_view_get_network (LsDiagramView *self)
{
  g_return_val_if_fail (LS_IS_DIAGRAM_VIEW (self), NULL);

  return self->network;
}

/* Shows the network, or nothing for NULL, and clears the selection. */
void
ls_diagram_view_set_network (LsDiagramView *self,
                             LsNetwork     *network)
{
  g_return_if_fail (LS_IS_DIAGRAM_VIEW (self));
  g_return_if_fail (network == NULL || LS_IS_NETWORK (network));

  if (self->network == network)
    return;

  if (self->network != NULL)
    g_signal_handlers_disconnect_by_func (self->network, network_changed_cb, self);
  g_set_object (&self->network, network);
  if (network != NULL)
    g_signal_connect_object (network, "changed", G_CALLBACK (network_changed_cb), self, 0);

  g_clear_pointer (&self->layout, ls_diagram_layout_free);
  g_clear_pointer (&self->expanded, g_free);
  self->n_expanded = 0;
  check_expanded_columns (self);
  change_selection (self, NULL);
  update_accessible_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK]);
}

const LsSelection *
ls_diagram_view_get_selection (LsDiagramView *self)
{
  g_return_val_if_fail (LS_IS_DIAGRAM_VIEW (self), NULL);

  return &self->selection;
}

/* Selects a neuron or an edge of the network. NULL or LS_SELECTION_NONE
 * clears the selection. */
void
ls_diagram_view_set_selection (LsDiagramView     *self,
                               const LsSelection *selection)
{
  g_return_if_fail (LS_IS_DIAGRAM_VIEW (self));
  g_return_if_fail (selection == NULL || selection->kind == LS_SELECTION_NONE ||
                    (self->network != NULL && is_selection_valid (self->network, selection)));

  change_selection (self, selection);
}

void
ls_diagram_view_set_font_scale (LsDiagramView *self,
                                double         font_scale)
{
  g_return_if_fail (LS_IS_DIAGRAM_VIEW (self));
  g_return_if_fail (font_scale >= 0.5 && font_scale <= 4.0);

  if (self->font_scale == font_scale)
    return;

  self->font_scale = font_scale;
  g_clear_pointer (&self->layout, ls_diagram_layout_free);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FONT_SCALE]);
}

gboolean
ls_diagram_view_get_scale_feature_maps (LsDiagramView *self)
{
  g_return_val_if_fail (LS_IS_DIAGRAM_VIEW (self), FALSE);

  return self->scale_feature_maps;
}

/* Switches between the fixed colour scale and one scale per layer for
 * feature maps. The layout's cached tile images have the old colours, so
 * they are dropped. */
void
ls_diagram_view_set_scale_feature_maps (LsDiagramView *self,
                                        gboolean       scale_feature_maps)
{
  g_return_if_fail (LS_IS_DIAGRAM_VIEW (self));

  scale_feature_maps = !!scale_feature_maps;
  if (self->scale_feature_maps == scale_feature_maps)
    return;

  self->scale_feature_maps = scale_feature_maps;
  if (self->layout != NULL)
    ls_diagram_layout_invalidate_values (self->layout);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE_FEATURE_MAPS]);
}

void
ls_diagram_view_set_plane_map (LsDiagramView *self,
                               LsPlaneMap    *map)
{
  g_return_if_fail (LS_IS_DIAGRAM_VIEW (self));

  self->plane_map = map;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
