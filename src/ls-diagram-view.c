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

/* Ctrl with a wheel click zooms by one LS_DIAGRAM_VIEW_ZOOM_STEP, and a
 * touchpad by one step per PIXELS_PER_ZOOM_STEP pixels. Without Ctrl, a
 * zoomed diagram pans by PAN_PIXELS_PER_CLICK per wheel click. */
#define PIXELS_PER_ZOOM_STEP 40.0
#define PAN_PIXELS_PER_CLICK 48.0

/* A neuron that the keyboard selects is panned at least this far inside
 * the widget's edge, so that its ring and label show too. */
#define REVEAL_MARGIN 48.0

/* The spotlight is a clear circle of SPOTLIGHT_RADIUS times the widget's
 * shorter side around the pointer. Its edge fades from clear at
 * SPOTLIGHT_SOFT_EDGE of the radius to SPOTLIGHT_ALPHA black. */
#define SPOTLIGHT_RADIUS 0.12
#define SPOTLIGHT_SOFT_EDGE 0.7
#define SPOTLIGHT_ALPHA 0.7

struct _LsDiagramView
{
  GtkWidget parent_instance;

  LsNetwork *network;          /* nullable */
  LsSelection selection;
  double font_scale;
  gboolean scale_feature_maps;
  LsPlaneMap *plane_map;       /* nullable, not owned: see ls_diagram_view_set_plane_map() */
  gboolean presenter;
  gboolean high_contrast;
  gssize step_column;          /* −1 for no forward-pass step */
  LsHighlight *highlights;     /* nullable, [n_highlights], owned copy */
  gsize n_highlights;

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
  gboolean drag_pans;          /* the drag pans the diagram instead of
                                * editing a weight */
  double pan_origin_x;         /* transform offset when a pan drag began */
  double pan_origin_y;

  LsViewTransform transform;   /* zoom and pan of the drawing */
  double pinch_start_zoom;     /* zoom when a pinch gesture began */
  gboolean spotlight;
  gboolean pointer_inside;     /* the pointer is over the widget */
  gboolean tab_moves_selection;
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
  PROP_ZOOM,
  PROP_SPOTLIGHT,
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
  style->presenter = self->presenter;
  style->high_contrast = self->high_contrast;
  style->step_column = self->step_column;
  style->highlights = self->highlights;
  style->n_highlights = self->n_highlights;
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

/* Returns where the selection sits, for screen readers: the column's
 * title, its layer number and the unit's index, counted from 1, e.g.
 * "hidden, layer 1 of 2, neuron 3 of 4". */
static char *
describe_position (LsNetwork         *network,
                   const LsSelection *selection)
{
  gsize n_layers = ls_network_get_n_layers (network);
  gsize n_units = get_column_units (network, selection->column);
  g_autofree char *title = ls_diagram_dup_column_title (network, selection->column);

  if (selection->column == 0)
    /* TRANSLATORS: the input column's title and one of its values, counted from 1, e.g. "Input, value 2 of 4" */
    return g_strdup_printf (_("%s, value %zu of %zu"), title, selection->unit + 1, n_units);

  if (selection->kind == LS_SELECTION_EDGE)
    /* TRANSLATORS: a layer's title and number and one of its weights, counted from 1,
     * e.g. "output, layer 2 of 2, weight from unit 3 to unit 1" */
    return g_strdup_printf (_("%s, layer %zu of %zu, weight from unit %zu to unit %zu"), title,
                            selection->column, n_layers, selection->input + 1, selection->unit + 1);

  /* TRANSLATORS: a layer's title and number and one of its neurons, counted from 1,
   * e.g. "hidden, layer 1 of 2, neuron 3 of 4" */
  return g_strdup_printf (_("%s, layer %zu of %zu, neuron %zu of %zu"), title,
                          selection->column, n_layers, selection->unit + 1, n_units);
}

/* Returns the screen reader's description of the selection: its position
 * in the network, then the sentence of the tooltip with the value. */
static char *
describe_selection_for_reader (LsNetwork         *network,
                               const LsSelection *selection)
{
  g_autofree char *position = NULL;
  g_autofree char *sentence = describe_selection (network, selection);

  if (selection->kind == LS_SELECTION_NONE)
    return g_steal_pointer (&sentence);

  position = describe_position (network, selection);

  /* TRANSLATORS: where a selected value is in the network, then what it is, e.g.
   * "hidden, layer 1 of 2, neuron 3 of 4. h3 (ReLU): 0.91" */
  return g_strdup_printf (_("%s. %s"), position, sentence);
}

static void
update_accessible_description (LsDiagramView *self)
{
  g_autofree char *description = NULL;

  if (self->network == NULL)
    return;

  description = describe_selection_for_reader (self->network, &self->selection);
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

/* Returns the neuron or edge under the widget point (x, y), or FALSE
 * over empty space. */
static gboolean
hit (LsDiagramView *self,
     double         x,
     double         y,
     LsSelection   *result)
{
  const LsDiagramLayout *layout = ensure_layout (self);
  double drawing_x, drawing_y;

  if (layout == NULL)
    return FALSE;

  ls_view_transform_to_drawing (&self->transform, x, y, &drawing_x, &drawing_y);

  return ls_diagram_layout_hit (layout, self->network, drawing_x, drawing_y, result);
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

/* Returns whether the widget point (x, y) is on a column's "Show all"
 * or "Show fewer" button, or its ellipsis, and which column that is. */
static gboolean
hit_expander (LsDiagramView *self,
              double         x,
              double         y,
              gsize         *column)
{
  const LsDiagramLayout *layout = ensure_layout (self);
  double drawing_x, drawing_y;

  if (layout == NULL)
    return FALSE;

  ls_view_transform_to_drawing (&self->transform, x, y, &drawing_x, &drawing_y);

  return ls_diagram_layout_hit_expander (layout, drawing_x, drawing_y, column);
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

/* Sets the zoom, keeping the widget point (x, y) in place, and redraws. */
static void
zoom_about (LsDiagramView *self,
            double         zoom,
            double         x,
            double         y)
{
  double old_zoom = self->transform.zoom;

  if (!ls_view_transform_zoom_about (&self->transform, zoom, x, y,
                                     gtk_widget_get_width (GTK_WIDGET (self)),
                                     gtk_widget_get_height (GTK_WIDGET (self))))
    return;

  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (self->transform.zoom != old_zoom)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

static void
zoom_about_center (LsDiagramView *self,
                   double         zoom)
{
  zoom_about (self, zoom,
              gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
              gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

/* Moves the drawing by (dx, dy) pixels. Returns whether it moved. */
static gboolean
pan (LsDiagramView *self,
     double         dx,
     double         dy)
{
  if (!ls_view_transform_pan (&self->transform, dx, dy,
                              gtk_widget_get_width (GTK_WIDGET (self)),
                              gtk_widget_get_height (GTK_WIDGET (self))))
    return FALSE;

  gtk_widget_queue_draw (GTK_WIDGET (self));

  return TRUE;
}

/* Pans a zoomed diagram so that the selected neuron, or the neuron that a
 * selected edge leads to, is inside the widget. */
static void
reveal_selection (LsDiagramView *self)
{
  const LsDiagramLayout *layout = ensure_layout (self);
  double x, y;

  if (layout == NULL || self->selection.kind == LS_SELECTION_NONE ||
      !ls_diagram_layout_get_unit_center (layout, self->selection.column, self->selection.unit, &x, &y))
    return;

  if (ls_view_transform_reveal (&self->transform, x, y, REVEAL_MARGIN,
                                gtk_widget_get_width (GTK_WIDGET (self)),
                                gtk_widget_get_height (GTK_WIDGET (self))))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* A press on empty space clears the selection only when the button comes
 * up without a drag, because dragging empty space pans the diagram. */
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
}

static void
click_released_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   LsDiagramView   *self)
{
  LsSelection selection;
  gsize column;

  if (!hit_expander (self, x, y, &column) && !hit (self, x, y, &selection))
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
  self->pointer_inside = TRUE;
  if (self->drag_pans)
    return;

  active = hit_expander (self, x, y, &column) || hit (self, x, y, &selection);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), active ? "pointer" : NULL);
  if (self->spotlight)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
leave_cb (GtkEventControllerMotion *controller,
          LsDiagramView            *self)
{
  self->pointer_inside = FALSE;
  if (self->spotlight)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Ctrl zooms about the pointer, and without Ctrl a zoomed diagram pans.
 * A wheel click is one step, and a touchpad reports pixels. */
static gboolean
scroll_view (LsDiagramView            *self,
             GtkEventControllerScroll *controller,
             double                    dx,
             double                    dy)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  gboolean pixels = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_SURFACE;

  if (state & GDK_CONTROL_MASK)
    {
      double steps = pixels ? -dy / PIXELS_PER_ZOOM_STEP : -dy;

      zoom_about (self, self->transform.zoom * pow (LS_DIAGRAM_VIEW_ZOOM_STEP, steps),
                  self->pointer_x, self->pointer_y);
      return TRUE;
    }

  if (self->transform.zoom <= LS_VIEW_TRANSFORM_MIN_ZOOM)
    return FALSE;

  if (!pixels)
    {
      dx *= PAN_PIXELS_PER_CLICK;
      dy *= PAN_PIXELS_PER_CLICK;
    }
  pan (self, -dx, -dy);

  return TRUE;
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           LsDiagramView            *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  double step = WEIGHT_STEP;

  /* Anywhere else, the wheel zooms or pans, or the scroll goes on to the
   * widgets around, so it never edits an edge that the pointer merely
   * passes over. */
  if (!is_on_selected_edge (self, self->pointer_x, self->pointer_y))
    return scroll_view (self, controller, dx, dy);

  if (state & GDK_CONTROL_MASK)
    step *= COARSE_FACTOR;
  if (gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_SURFACE)
    step /= PIXELS_PER_SCROLL_STEP;

  /* scrolling up (negative dy) raises the weight */
  set_selected_weight (self, get_selected_weight (self) - dy * step);

  return TRUE;
}

static void
pinch_begin_cb (GtkGesture       *gesture,
                GdkEventSequence *sequence,
                LsDiagramView    *self)
{
  self->pinch_start_zoom = self->transform.zoom;
}

/* scale is the distance between the fingers relative to the start.
 * NOTE: no test drives this handler, because Xvfb sends no touch or
 * touchpad pinch events. */
static void
pinch_scale_changed_cb (GtkGestureZoom *gesture,
                        double          scale,
                        LsDiagramView  *self)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    return;

  zoom_about (self, self->pinch_start_zoom * scale, x, y);
}

/* Returns whether a press at the widget point (x, y) with button starts
 * a pan: the middle button anywhere, or the primary button on empty
 * space. Both only pan a zoomed diagram. */
static gboolean
is_pan_press (LsDiagramView *self,
              guint          button,
              double         x,
              double         y)
{
  LsSelection selection;
  gsize column;

  if (self->transform.zoom <= LS_VIEW_TRANSFORM_MIN_ZOOM)
    return FALSE;

  if (button == GDK_BUTTON_MIDDLE)
    return TRUE;

  return button == GDK_BUTTON_PRIMARY && !hit (self, x, y, &selection) &&
         !hit_expander (self, x, y, &column);
}

/* A drag with the primary button starts on any edge, so that the press
 * still selects it, but it edits the weight only when that edge was
 * selected before the press. On empty space, or with the middle button,
 * it pans a zoomed diagram. */
static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               LsDiagramView  *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  LsSelection selection;

  self->drag_started = FALSE;
  self->drag_pans = is_pan_press (self, button, x, y);
  if (self->drag_pans)
    {
      self->pan_origin_x = self->transform.x;
      self->pan_origin_y = self->transform.y;
      return;
    }

  if (button != GDK_BUTTON_PRIMARY || !hit (self, x, y, &selection) ||
      selection.kind != LS_SELECTION_EDGE)
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
}

static void
drag_pan (LsDiagramView  *self,
          GtkGestureDrag *gesture,
          double          offset_x,
          double          offset_y)
{
  if (!self->drag_started)
    {
      if (!gtk_drag_check_threshold (GTK_WIDGET (self), 0, 0, (int) offset_x, (int) offset_y))
        return;

      self->drag_started = TRUE;
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
    }

  pan (self, self->pan_origin_x + offset_x - self->transform.x,
       self->pan_origin_y + offset_y - self->transform.y);
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          offset_x,
             double          offset_y,
             LsDiagramView  *self)
{
  if (self->drag_pans)
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self), NULL);
  self->drag_pans = FALSE;
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          offset_x,
                double          offset_y,
                LsDiagramView  *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  double step = WEIGHT_STEP;

  if (self->drag_pans)
    {
      drag_pan (self, gesture, offset_x, offset_y);
      return;
    }

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

/* Steps (column, unit) to the next or previous unit of the network,
 * going on to the following or preceding column at a column's ends and
 * wrapping at the network's ends. */
static void
step_unit (const LsDiagramLayout *layout,
           gboolean               forward,
           gsize                 *column,
           gsize                 *unit)
{
  gsize n_columns = layout->n_columns;

  if (forward && *unit + 1 < layout->columns[*column].units)
    {
      (*unit)++;
    }
  else if (forward)
    {
      *column = (*column + 1) % n_columns;
      *unit = 0;
    }
  else if (*unit > 0)
    {
      (*unit)--;
    }
  else
    {
      *column = (*column + n_columns - 1) % n_columns;
      *unit = layout->columns[*column].units - 1;
    }
}

/* Finds the shown unit after (forward) or before the given one, through
 * all columns. Units in the ellipsis of a compact column or on hidden
 * tiles are not shown and are passed over. */
static gboolean
find_shown_unit (const LsDiagramLayout *layout,
                 gboolean               forward,
                 gsize                 *column,
                 gsize                 *unit)
{
  gsize n_units = 0;

  for (gsize c = 0; c < layout->n_columns; c++)
    n_units += layout->columns[c].units;

  for (gsize i = 0; i < n_units; i++)
    {
      step_unit (layout, forward, column, unit);
      if (ls_diagram_layout_get_unit_center (layout, *column, *unit, NULL, NULL))
        return TRUE;
    }

  return FALSE;
}

/* Selects the next or previous shown neuron or pixel with Tab or
 * Shift+Tab. Without a selected neuron, Tab starts at the first one and
 * Shift+Tab at the last one. */
static void
move_selection_by_tab (LsDiagramView *self,
                       gboolean       forward)
{
  const LsDiagramLayout *layout = ensure_layout (self);
  LsSelection next = { LS_SELECTION_NEURON };

  if (layout == NULL || layout->n_columns == 0)
    return;

  /* From an edge, start at the neuron it leads to. Without a selection,
   * start from the unit that wraps to the first or last one. */
  if (self->selection.kind != LS_SELECTION_NONE)
    {
      next.column = self->selection.column;
      next.unit = self->selection.unit;
    }
  else if (forward)
    {
      next.column = layout->n_columns - 1;
      next.unit = layout->columns[next.column].units - 1;
    }

  if (find_shown_unit (layout, forward, &next.column, &next.unit))
    change_selection (self, &next);
}

static gboolean
is_tab_key (guint keyval)
{
  return keyval == GDK_KEY_Tab || keyval == GDK_KEY_KP_Tab || keyval == GDK_KEY_ISO_Left_Tab;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                LsDiagramView         *self)
{
  double step = (state & GDK_CONTROL_MASK) ? WEIGHT_STEP * COARSE_FACTOR : WEIGHT_STEP;
  gboolean handled;

  if (keyval == GDK_KEY_Escape && self->selection.kind != LS_SELECTION_NONE)
    {
      change_selection (self, NULL);
      return TRUE;
    }

  if (self->network == NULL)
    return FALSE;

  if (self->tab_moves_selection && is_tab_key (keyval) && !(state & GDK_CONTROL_MASK))
    {
      move_selection_by_tab (self, keyval != GDK_KEY_ISO_Left_Tab && !(state & GDK_SHIFT_MASK));
      reveal_selection (self);
      return TRUE;
    }

  if (self->selection.kind == LS_SELECTION_NEURON)
    {
      handled = move_selection (self, keyval);
      reveal_selection (self);
      return handled;
    }

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

/* Darkens everything but a soft-edged circle around the pointer. */
static void
draw_spotlight (LsDiagramView *self,
                cairo_t       *cr,
                double         width,
                double         height)
{
  double radius = SPOTLIGHT_RADIUS * MIN (width, height);
  cairo_pattern_t *pattern;

  pattern = cairo_pattern_create_radial (self->pointer_x, self->pointer_y, SPOTLIGHT_SOFT_EDGE * radius,
                                         self->pointer_x, self->pointer_y, radius);
  cairo_pattern_add_color_stop_rgba (pattern, 0.0, 0.0, 0.0, 0.0, 0.0);
  cairo_pattern_add_color_stop_rgba (pattern, 1.0, 0.0, 0.0, 0.0, SPOTLIGHT_ALPHA);
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_PAD);
  cairo_set_source (cr, pattern);
  cairo_paint (cr);
  cairo_pattern_destroy (pattern);
}

/* Draws the zoom factor, e.g. "150 %", in the top right corner as a
 * reminder that part of the diagram is out of view. */
static void
draw_zoom_badge (LsDiagramView *self,
                 cairo_t       *cr,
                 double         width)
{
  g_autofree char *text = NULL;
  g_autoptr(PangoLayout) pango = NULL;
  int text_width, text_height;
  double pad = 6.0;
  double x, y = pad;

  /* TRANSLATORS: the diagram's zoom factor in percent, e.g. "150 %" */
  text = g_strdup_printf (_("%.0f %%"), self->transform.zoom * 100.0);
  pango = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  pango_layout_get_pixel_size (pango, &text_width, &text_height);
  x = width - text_width - 3.0 * pad;

  cairo_new_sub_path (cr);
  cairo_arc (cr, x + text_height / 2.0, y + text_height / 2.0, text_height / 2.0, G_PI / 2.0, 3.0 * G_PI / 2.0);
  cairo_arc (cr, x + text_width + 2.0 * pad - text_height / 2.0, y + text_height / 2.0, text_height / 2.0,
             -G_PI / 2.0, G_PI / 2.0);
  cairo_close_path (cr);
  cairo_set_source_rgba (cr, 0.0, 0.0, 0.0, 0.65);
  cairo_fill (cr);

  cairo_move_to (cr, x + pad, y);
  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  pango_cairo_show_layout (cr, pango);
}

/* Draws the diagram under the zoom and pan transform, so that its lines
 * and text stay sharp at every zoom, then the overlays in widget pixels. */
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
  cairo_save (cr);
  cairo_translate (cr, self->transform.x, self->transform.y);
  cairo_scale (cr, self->transform.zoom, self->transform.zoom);
  ls_render_diagram (cr, self->network, layout, &self->selection, &style);
  cairo_restore (cr);

  if (self->spotlight && self->pointer_inside)
    draw_spotlight (self, cr, layout->width, layout->height);
  if (self->transform.zoom > LS_VIEW_TRANSFORM_MIN_ZOOM)
    draw_zoom_badge (self, cr, layout->width);
  cairo_destroy (cr);
}

/* A new size keeps the zoom and clamps the pan, so that the drawing
 * still covers the widget. */
static void
ls_diagram_view_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  LsDiagramView *self = LS_DIAGRAM_VIEW (widget);

  ls_view_transform_pan (&self->transform, 0.0, 0.0, width, height);
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
  g_clear_pointer (&self->highlights, g_free);
  self->n_highlights = 0;
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

    case PROP_ZOOM:
      g_value_set_double (value, self->transform.zoom);
      break;

    case PROP_SPOTLIGHT:
      g_value_set_boolean (value, self->spotlight);
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

    case PROP_SPOTLIGHT:
      ls_diagram_view_set_spotlight (self, g_value_get_boolean (value));
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
  widget_class->size_allocate = ls_diagram_view_size_allocate;

  properties[PROP_NETWORK] =
    g_param_spec_object ("network", NULL, NULL, LS_TYPE_NETWORK,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FONT_SCALE] =
    g_param_spec_double ("font-scale", NULL, NULL, 0.5, 4.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCALE_FEATURE_MAPS] =
    g_param_spec_boolean ("scale-feature-maps", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL,
                         LS_VIEW_TRANSFORM_MIN_ZOOM, LS_VIEW_TRANSFORM_MAX_ZOOM, LS_VIEW_TRANSFORM_MIN_ZOOM,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SPOTLIGHT] =
    g_param_spec_boolean ("spotlight", NULL, NULL, FALSE,
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
  GtkGesture *pinch = gtk_gesture_zoom_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  GtkEventController *key = gtk_event_controller_key_new ();

  /* any button: the primary one edits weights or pans, the middle one pans */
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), 0);

  g_signal_connect (click, "pressed", G_CALLBACK (click_pressed_cb), self);
  g_signal_connect (click, "released", G_CALLBACK (click_released_cb), self);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  g_signal_connect (pinch, "begin", G_CALLBACK (pinch_begin_cb), self);
  g_signal_connect (pinch, "scale-changed", G_CALLBACK (pinch_scale_changed_cb), self);
  g_signal_connect (motion, "enter", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  g_signal_connect (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);

  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (pinch));
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
}

static void
ls_diagram_view_init (LsDiagramView *self)
{
  self->font_scale = 1.0;
  self->selection.kind = LS_SELECTION_NONE;
  self->step_column = -1;
  self->transform = (LsViewTransform) LS_VIEW_TRANSFORM_INIT;

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

/* Shows the network, or nothing for NULL, clears the selection and fits
 * the whole diagram into the widget. */
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
  zoom_about (self, LS_VIEW_TRANSFORM_MIN_ZOOM, 0.0, 0.0);
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
ls_diagram_view_reveal_selection (LsDiagramView *self)
{
  g_return_if_fail (LS_IS_DIAGRAM_VIEW (self));

  reveal_selection (self);
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

/* Switches the thick lines and large labels of a projector on or off.
 * They change the text sizes, so the layout is built again. */
void
ls_diagram_view_set_presenter (LsDiagramView *self,
                               gboolean       presenter)
{
  g_return_if_fail (LS_IS_DIAGRAM_VIEW (self));

  presenter = !!presenter;
  if (self->presenter == presenter)
    return;

  self->presenter = presenter;
  g_clear_pointer (&self->layout, ls_diagram_layout_free);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Switches the high-contrast palette on or off. The cached tile images
 * have the old colours, so they are dropped. */
void
ls_diagram_view_set_high_contrast (LsDiagramView *self,
                                   gboolean       high_contrast)
{
  g_return_if_fail (LS_IS_DIAGRAM_VIEW (self));

  high_contrast = !!high_contrast;
  if (self->high_contrast == high_contrast)
    return;

  self->high_contrast = high_contrast;
  if (self->layout != NULL)
    ls_diagram_layout_invalidate_values (self->layout);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Shows the forward pass computed up to column, as LsRenderStyle's
 * step_column: −1 shows every column's values. The layout keeps room for
 * the step's caption only while there is a step, so it is built again
 * when stepping starts or ends. */
void
ls_diagram_view_set_step_column (LsDiagramView *self,
                                 gssize         column)
{
  g_return_if_fail (LS_IS_DIAGRAM_VIEW (self));
  g_return_if_fail (column >= -1);

  if (self->step_column == column)
    return;

  if ((self->step_column >= 0) != (column >= 0))
    g_clear_pointer (&self->layout, ls_diagram_layout_free);
  self->step_column = column;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Emphasises the parts in highlights[n_highlights] and dims the rest, or
 * dims nothing when n_highlights is 0. The view keeps a copy. */
void
ls_diagram_view_set_highlights (LsDiagramView     *self,
                                const LsHighlight *highlights,
                                gsize              n_highlights)
{
  g_return_if_fail (LS_IS_DIAGRAM_VIEW (self));
  g_return_if_fail (highlights != NULL || n_highlights == 0);

  g_clear_pointer (&self->highlights, g_free);
  self->n_highlights = n_highlights;
  if (n_highlights > 0)
    self->highlights = g_memdup2 (highlights, n_highlights * sizeof *highlights);

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
ls_diagram_view_get_zoom (LsDiagramView *self)
{
  g_return_val_if_fail (LS_IS_DIAGRAM_VIEW (self), 1.0);

  return self->transform.zoom;
}

void
ls_diagram_view_zoom_in (LsDiagramView *self)
{
  g_return_if_fail (LS_IS_DIAGRAM_VIEW (self));

  zoom_about_center (self, self->transform.zoom * LS_DIAGRAM_VIEW_ZOOM_STEP);
}

void
ls_diagram_view_zoom_out (LsDiagramView *self)
{
  g_return_if_fail (LS_IS_DIAGRAM_VIEW (self));

  zoom_about_center (self, self->transform.zoom / LS_DIAGRAM_VIEW_ZOOM_STEP);
}

/* Fits the whole diagram into the widget again. */
void
ls_diagram_view_zoom_reset (LsDiagramView *self)
{
  g_return_if_fail (LS_IS_DIAGRAM_VIEW (self));

  zoom_about (self, LS_VIEW_TRANSFORM_MIN_ZOOM, 0.0, 0.0);
}

/* Finds where a unit's centre is drawn, in widget coordinates under the
 * current zoom and pan, which may lie outside the widget. */
gboolean
ls_diagram_view_get_unit_position (LsDiagramView *self,
                                   gsize          column,
                                   gsize          unit,
                                   double        *x,
                                   double        *y)
{
  const LsDiagramLayout *layout;
  double drawing_x, drawing_y;

  g_return_val_if_fail (LS_IS_DIAGRAM_VIEW (self), FALSE);
  g_return_val_if_fail (x != NULL && y != NULL, FALSE);

  layout = ensure_layout (self);
  if (layout == NULL || !ls_diagram_layout_get_unit_center (layout, column, unit, &drawing_x, &drawing_y))
    return FALSE;

  ls_view_transform_to_widget (&self->transform, drawing_x, drawing_y, x, y);

  return TRUE;
}

gboolean
ls_diagram_view_get_spotlight (LsDiagramView *self)
{
  g_return_val_if_fail (LS_IS_DIAGRAM_VIEW (self), FALSE);

  return self->spotlight;
}

void
ls_diagram_view_set_spotlight (LsDiagramView *self,
                               gboolean       spotlight)
{
  g_return_if_fail (LS_IS_DIAGRAM_VIEW (self));

  spotlight = !!spotlight;
  if (self->spotlight == spotlight)
    return;

  self->spotlight = spotlight;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPOTLIGHT]);
}

void
ls_diagram_view_set_tab_moves_selection (LsDiagramView *self,
                                         gboolean       tab_moves_selection)
{
  g_return_if_fail (LS_IS_DIAGRAM_VIEW (self));

  self->tab_moves_selection = !!tab_moves_selection;
}
