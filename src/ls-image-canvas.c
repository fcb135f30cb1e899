/* ls-image-canvas.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ls-image-canvas.h"
#include "ls-panel.h"

/* How much one dab of a moving stroke moves the value under the brush
 * centre toward its target, at full pressure. A stroke lays several
 * overlapping dabs on each pixel, so its middle reaches the target and
 * its edges stay soft. The press that starts a stroke lays one dab of
 * full strength, so that a single click leaves a visible dot. */
#define DAB_STRENGTH 0.35

/* Natural width in pixels: the width of the side panel's content. */
#define NATURAL_SIZE 264
#define MIN_SIZE 128

/* A faint grid separates the pixels once they are at least this large. */
#define MIN_GRID_PIXEL 8.0

struct _LsImageCanvas
{
  GtkWidget parent_instance;

  LsNetwork *network;
  LsBrushMode mode;
  double radius;            /* image pixels */

  float *values;            /* [c][h][w]: the input while a stroke edits it, sized by set_network() */
  cairo_surface_t *surface; /* nullable: the input as drawn, rebuilt after it changes */
  gboolean stroking;
  LsBrushMode stroke_mode;
  double last_x, last_y;    /* image coordinates of the stroke's last dab */
  double drag_x, drag_y;    /* widget coordinates where the drag began */

  gboolean hovering;
  double hover_x, hover_y;  /* widget coordinates of the pointer */
};

G_DEFINE_FINAL_TYPE (LsImageCanvas, ls_image_canvas, GTK_TYPE_WIDGET)

static gboolean
has_image (LsImageCanvas *self)
{
  return self->network != NULL && ls_network_get_input_shape (self->network)->rank == 3;
}

/* Finds where the image is drawn: its top left corner and the size of one
 * image pixel, a whole number of screen pixels when that is at least 2 so
 * that every pixel gets the same size. */
static void
get_image_geometry (LsImageCanvas *self,
                    double        *left,
                    double        *top,
                    double        *pixel)
{
  const LsShape *shape = ls_network_get_input_shape (self->network);
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double size = MIN (width / shape->dims[2], height / shape->dims[1]);

  if (size >= 2.0)
    size = floor (size);

  *pixel = size;
  *left = floor ((width - size * shape->dims[2]) / 2.0);
  *top = floor ((height - size * shape->dims[1]) / 2.0);
}

static void
to_image_coordinates (LsImageCanvas *self,
                      double         x,
                      double         y,
                      double        *image_x,
                      double        *image_y)
{
  double left, top, pixel;

  get_image_geometry (self, &left, &top, &pixel);
  *image_x = (x - left) / pixel;
  *image_y = (y - top) / pixel;
}

/* Moves every value within radius + ½ pixel of (cx, cy) toward target by
 * amount × (1 − (d / R)²)², where d is the distance from the pixel's
 * centre and R = radius + ½, and the value of the pixel that contains
 * (cx, cy) by the whole amount. The half pixel makes a small brush reach
 * at least one pixel centre wherever it is. All channels are painted
 * alike. */
static void
apply_dab (float         *values,  /* [c][h][w] */
           const LsShape *shape,
           double         cx,
           double         cy,
           double         radius,
           double         amount,
           float          target)
{
  gsize channels = shape->dims[0], height = shape->dims[1], width = shape->dims[2];
  double reach = radius + 0.5;
  gssize y0 = (gssize) floor (cy - reach), y1 = (gssize) ceil (cy + reach);
  gssize x0 = (gssize) floor (cx - reach), x1 = (gssize) ceil (cx + reach);

  for (gssize y = MAX (y0, 0); y < MIN (y1, (gssize) height); y++)
    for (gssize x = MAX (x0, 0); x < MIN (x1, (gssize) width); x++)
      {
        double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
        double t = (dx * dx + dy * dy) / (reach * reach);
        gboolean under_centre = x == (gssize) floor (cx) && y == (gssize) floor (cy);
        double weight;

        if (t >= 1.0 && !under_centre)
          continue;

        weight = under_centre ? amount : amount * (1.0 - t) * (1.0 - t);
        for (gsize c = 0; c < channels; c++)
          {
            float *value = &values[(c * height + (gsize) y) * width + (gsize) x];

            *value += (float) ((target - *value) * weight);
          }
      }
}

/* Lays dabs from the last one to (x, y), in image coordinates, a quarter
 * of the brush's reach apart, so that a fast stroke leaves no gaps. */
static void
paint_segment (LsImageCanvas *self,
               double         x,
               double         y,
               double         pressure,
               gboolean       first)
{
  const LsShape *shape = ls_network_get_input_shape (self->network);
  float target = self->stroke_mode == LS_BRUSH_PAINT ? 1.0f : 0.0f;
  double amount = (first ? 1.0 : DAB_STRENGTH) * CLAMP (pressure, 0.1, 1.0);
  double spacing = MAX ((self->radius + 0.5) / 4.0, 0.1);
  double length = hypot (x - self->last_x, y - self->last_y);
  gsize steps = first ? 1 : (gsize) ceil (length / spacing);

  for (gsize i = 1; i <= steps; i++)
    {
      double t = first ? 1.0 : (double) i / steps;

      apply_dab (self->values, shape,
                 self->last_x + t * (x - self->last_x), self->last_y + t * (y - self->last_y),
                 self->radius, amount, target);
    }

  self->last_x = x;
  self->last_y = y;
}

/* Hands the edited values to the network, which reruns the forward pass
 * and emits one LsNetwork::changed with LS_CHANGE_VALUES to every view. */
static void
commit_values (LsImageCanvas *self)
{
  g_autoptr(GError) error = NULL;

  if (!ls_network_set_input (self->network, self->values, ls_network_get_input_size (self->network), &error))
    ls_panel_show_error (GTK_WIDGET (self), error->message);
}

/* Copies the network's input into the editing buffer. A network's input
 * shape is fixed, so the buffer that set_network() allocated fits. */
static void
load_values (LsImageCanvas *self)
{
  gsize size = ls_network_get_input_size (self->network);

  memcpy (self->values, ls_network_get_input (self->network), size * sizeof (float));
}

void
ls_image_canvas_begin_stroke (LsImageCanvas *self,
                              LsBrushMode    mode,
                              double         x,
                              double         y,
                              double         pressure)
{
  g_return_if_fail (LS_IS_IMAGE_CANVAS (self));

  if (!has_image (self))
    return;

  load_values (self);
  self->stroking = TRUE;
  self->stroke_mode = mode;
  to_image_coordinates (self, x, y, &self->last_x, &self->last_y);
  paint_segment (self, self->last_x, self->last_y, pressure, TRUE);
  commit_values (self);
}

void
ls_image_canvas_continue_stroke (LsImageCanvas *self,
                                 double         x,
                                 double         y,
                                 double         pressure)
{
  double image_x, image_y;

  g_return_if_fail (LS_IS_IMAGE_CANVAS (self));

  if (!self->stroking || !has_image (self))
    return;

  /* Another edit, such as a chosen sample, may have replaced the input
   * since the last motion. */
  load_values (self);
  to_image_coordinates (self, x, y, &image_x, &image_y);
  paint_segment (self, image_x, image_y, pressure, FALSE);
  commit_values (self);
}

void
ls_image_canvas_end_stroke (LsImageCanvas *self)
{
  g_return_if_fail (LS_IS_IMAGE_CANVAS (self));

  self->stroking = FALSE;
}

/* Replaces every value v with transform (v) in one edit. */
static void
map_values (LsImageCanvas *self,
            float        (*transform) (float value))
{
  gsize size;

  if (!has_image (self))
    return;

  load_values (self);
  size = ls_network_get_input_size (self->network);
  for (gsize i = 0; i < size; i++)
    self->values[i] = transform (self->values[i]);
  commit_values (self);
}

static float
zero (float value)
{
  return 0.0f;
}

static float
invert (float value)
{
  return 1.0f - value;
}

void
ls_image_canvas_clear (LsImageCanvas *self)
{
  g_return_if_fail (LS_IS_IMAGE_CANVAS (self));

  map_values (self, zero);
}

void
ls_image_canvas_invert (LsImageCanvas *self)
{
  g_return_if_fail (LS_IS_IMAGE_CANVAS (self));

  map_values (self, invert);
}

static guint8
to_byte (float value)
{
  return (guint8) lround (CLAMP (value, 0.0f, 1.0f) * 255.0f);
}

/* Fills an RGB24 surface with the input: one channel as grey from black
 * at 0 to white at 1, three channels as red, green and blue, and any
 * other count as the grey of the channels' mean. Values outside [0, 1]
 * are clamped for display only. */
static cairo_surface_t *
new_image_surface (LsImageCanvas *self)
{
  const LsShape *shape = ls_network_get_input_shape (self->network);
  const float *input = ls_network_get_input (self->network);  /* [c][h][w] */
  gsize channels = shape->dims[0], height = shape->dims[1], width = shape->dims[2];
  gsize plane = height * width;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  int stride = cairo_image_surface_get_stride (surface);
  guchar *data = cairo_image_surface_get_data (surface);

  for (gsize y = 0; y < height; y++)
    for (gsize x = 0; x < width; x++)
      {
        gsize i = y * width + x;
        guint32 *pixel = (guint32 *) (data + y * stride) + x;
        guint8 r, g, b;

        if (channels == 3)
          {
            r = to_byte (input[i]);
            g = to_byte (input[plane + i]);
            b = to_byte (input[2 * plane + i]);
          }
        else
          {
            float sum = 0.0f;

            for (gsize c = 0; c < channels; c++)
              sum += input[c * plane + i];
            r = g = b = to_byte (sum / channels);
          }
        *pixel = ((guint32) r << 16) | ((guint32) g << 8) | b;
      }
  cairo_surface_mark_dirty (surface);

  return surface;
}

static void
draw_grid (cairo_t       *cr,
           const LsShape *shape,
           double         left,
           double         top,
           double         pixel)
{
  double width = pixel * shape->dims[2], height = pixel * shape->dims[1];

  cairo_set_source_rgba (cr, 0.5, 0.5, 0.5, 0.35);
  cairo_set_line_width (cr, 1.0);
  for (gsize x = 1; x < shape->dims[2]; x++)
    {
      cairo_move_to (cr, left + x * pixel + 0.5, top);
      cairo_rel_line_to (cr, 0, height);
    }
  for (gsize y = 1; y < shape->dims[1]; y++)
    {
      cairo_move_to (cr, left, top + y * pixel + 0.5);
      cairo_rel_line_to (cr, width, 0);
    }
  cairo_stroke (cr);
}

/* Outlines the brush where the pointer is, in the colour that contrasts
 * with both black and white pixels. */
static void
draw_brush_outline (LsImageCanvas *self,
                    cairo_t       *cr,
                    double         pixel)
{
  double r = (self->radius + 0.5) * pixel;

  cairo_arc (cr, self->hover_x, self->hover_y, r, 0, 2 * G_PI);
  cairo_set_line_width (cr, 3.0);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.6);
  cairo_stroke_preserve (cr);
  cairo_set_line_width (cr, 1.5);
  if (self->mode == LS_BRUSH_PAINT)
    cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  else
    cairo_set_source_rgb (cr, 0.95, 0.45, 0.3);
  cairo_stroke (cr);
}

static void
ls_image_canvas_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  LsImageCanvas *self = LS_IMAGE_CANVAS (widget);
  const LsShape *shape;
  cairo_t *cr;
  double left, top, pixel;

  if (!has_image (self))
    return;

  if (self->surface == NULL)
    self->surface = new_image_surface (self);

  shape = ls_network_get_input_shape (self->network);
  get_image_geometry (self, &left, &top, &pixel);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                                 gtk_widget_get_height (widget)));

  cairo_save (cr);
  cairo_translate (cr, left, top);
  cairo_scale (cr, pixel, pixel);
  cairo_set_source_surface (cr, self->surface, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_paint (cr);
  cairo_restore (cr);

  if (pixel >= MIN_GRID_PIXEL)
    draw_grid (cr, shape, left, top, pixel);
  if (self->hovering)
    draw_brush_outline (self, cr, pixel);

  cairo_destroy (cr);
}

static GtkSizeRequestMode
ls_image_canvas_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

/* Asks for the panel's width and the height that keeps the image's
 * aspect ratio at the width given. */
static void
ls_image_canvas_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  LsImageCanvas *self = LS_IMAGE_CANVAS (widget);
  double aspect = 1.0;

  if (has_image (self))
    {
      const LsShape *shape = ls_network_get_input_shape (self->network);

      aspect = (double) shape->dims[1] / shape->dims[2];
    }

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MIN_SIZE;
      *natural = NATURAL_SIZE;
    }
  else
    {
      int width = for_size >= 0 ? for_size : NATURAL_SIZE;

      *minimum = *natural = (int) ceil (MIN (width * aspect, 2.0 * NATURAL_SIZE));
    }
}

/* Whether the gesture's events come from a stylus, which the stylus
 * gesture handles with its pressure. */
static gboolean
is_stylus (GtkGesture *gesture)
{
  GdkEventSequence *sequence = gtk_gesture_single_get_current_sequence (GTK_GESTURE_SINGLE (gesture));
  GdkEvent *event = gtk_gesture_get_last_event (gesture, sequence);

  return event != NULL && gdk_event_get_device_tool (event) != NULL;
}

/* The secondary button paints with the other mode, so a mouse can erase
 * without a trip to the tool buttons. */
static LsBrushMode
get_drag_mode (LsImageCanvas *self,
               GtkGesture    *gesture)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  if (button == GDK_BUTTON_SECONDARY)
    return self->mode == LS_BRUSH_PAINT ? LS_BRUSH_ERASE : LS_BRUSH_PAINT;

  return self->mode;
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               LsImageCanvas  *self)
{
  if (is_stylus (GTK_GESTURE (gesture)))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  self->drag_x = x;
  self->drag_y = y;
  ls_image_canvas_begin_stroke (self, get_drag_mode (self, GTK_GESTURE (gesture)), x, y, 1.0);
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          offset_x,
                double          offset_y,
                LsImageCanvas  *self)
{
  ls_image_canvas_continue_stroke (self, self->drag_x + offset_x, self->drag_y + offset_y, 1.0);
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          offset_x,
             double          offset_y,
             LsImageCanvas  *self)
{
  ls_image_canvas_end_stroke (self);
}

static double
get_pressure (GtkGestureStylus *gesture)
{
  double pressure;

  if (!gtk_gesture_stylus_get_axis (gesture, GDK_AXIS_PRESSURE, &pressure))
    return 1.0;

  return pressure;
}

static void
stylus_down_cb (GtkGestureStylus *gesture,
                double            x,
                double            y,
                LsImageCanvas    *self)
{
  GdkDeviceTool *tool = gtk_gesture_stylus_get_device_tool (gesture);
  LsBrushMode mode = self->mode;

  if (tool != NULL && gdk_device_tool_get_tool_type (tool) == GDK_DEVICE_TOOL_TYPE_ERASER)
    mode = LS_BRUSH_ERASE;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  ls_image_canvas_begin_stroke (self, mode, x, y, get_pressure (gesture));
}

static void
stylus_motion_cb (GtkGestureStylus *gesture,
                  double            x,
                  double            y,
                  LsImageCanvas    *self)
{
  self->hover_x = x;
  self->hover_y = y;
  ls_image_canvas_continue_stroke (self, x, y, get_pressure (gesture));
}

static void
stylus_up_cb (GtkGestureStylus *gesture,
              double            x,
              double            y,
              LsImageCanvas    *self)
{
  ls_image_canvas_end_stroke (self);
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           LsImageCanvas            *self)
{
  self->hovering = TRUE;
  self->hover_x = x;
  self->hover_y = y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
leave_cb (GtkEventControllerMotion *controller,
          LsImageCanvas            *self)
{
  self->hovering = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* A new input only needs a redraw: its shape cannot change without a new
 * network, so the size stays. */
static void
network_changed_cb (LsImageCanvas *self,
                    guint          change)
{
  if (change & LS_CHANGE_VALUES)
    {
      g_clear_pointer (&self->surface, cairo_surface_destroy);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
ls_image_canvas_dispose (GObject *object)
{
  LsImageCanvas *self = LS_IMAGE_CANVAS (object);

  g_clear_object (&self->network);
  g_clear_pointer (&self->values, g_free);
  g_clear_pointer (&self->surface, cairo_surface_destroy);

  G_OBJECT_CLASS (ls_image_canvas_parent_class)->dispose (object);
}

static void
ls_image_canvas_class_init (LsImageCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_image_canvas_dispose;
  widget_class->snapshot = ls_image_canvas_snapshot;
  widget_class->measure = ls_image_canvas_measure;
  widget_class->get_request_mode = ls_image_canvas_get_request_mode;

  gtk_widget_class_set_css_name (widget_class, "imagecanvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ls_image_canvas_init (LsImageCanvas *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *stylus = gtk_gesture_stylus_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->mode = LS_BRUSH_PAINT;
  self->radius = 1.0;

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), 0);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (stylus, "down", G_CALLBACK (stylus_down_cb), self);
  g_signal_connect (stylus, "motion", G_CALLBACK (stylus_motion_cb), self);
  g_signal_connect (stylus, "up", G_CALLBACK (stylus_up_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (stylus));

  g_signal_connect (motion, "enter", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "crosshair");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Input image"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Drag to paint; the right button or a stylus eraser erases"),
                                  -1);
}

GtkWidget *
ls_image_canvas_new (void)
{
  return g_object_new (LS_TYPE_IMAGE_CANVAS, NULL);
}

void
ls_image_canvas_set_network (LsImageCanvas *self,
                             LsNetwork     *network)
{
  g_return_if_fail (LS_IS_IMAGE_CANVAS (self));
  g_return_if_fail (network == NULL || LS_IS_NETWORK (network));

  ls_panel_watch_network (self, &self->network, network, G_CALLBACK (network_changed_cb));
  self->stroking = FALSE;
  g_clear_pointer (&self->surface, cairo_surface_destroy);
  g_clear_pointer (&self->values, g_free);
  if (has_image (self))
    self->values = g_new (float, ls_network_get_input_size (network));
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

LsBrushMode
ls_image_canvas_get_mode (LsImageCanvas *self)
{
  g_return_val_if_fail (LS_IS_IMAGE_CANVAS (self), LS_BRUSH_PAINT);

  return self->mode;
}

void
ls_image_canvas_set_mode (LsImageCanvas *self,
                          LsBrushMode    mode)
{
  g_return_if_fail (LS_IS_IMAGE_CANVAS (self));
  g_return_if_fail (mode == LS_BRUSH_PAINT || mode == LS_BRUSH_ERASE);

  self->mode = mode;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
ls_image_canvas_get_radius (LsImageCanvas *self)
{
  g_return_val_if_fail (LS_IS_IMAGE_CANVAS (self), 0.0);

  return self->radius;
}

void
ls_image_canvas_set_radius (LsImageCanvas *self,
                            double         radius)
{
  g_return_if_fail (LS_IS_IMAGE_CANVAS (self));
  g_return_if_fail (radius > 0.0 && isfinite (radius));

  self->radius = radius;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
