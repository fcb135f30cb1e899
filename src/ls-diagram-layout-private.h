/* ls-diagram-layout-private.h: the diagram geometry shared by layout and drawing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <pango/pangocairo.h>

#include "ls-render.h"

G_BEGIN_DECLS

/* Column subtitles are this fraction of the body text size, and titles
 * take at most this fraction of the column spacing. */
#define LS_DIAGRAM_SUBTITLE_EM 0.9
#define LS_DIAGRAM_HEADER_WIDTH 0.96

/* The ring around a selected neuron: its centre line lies this many line
 * units outside the neuron's edge, and it is this many line units wide.
 * The layout leaves room for it above the top neurons. */
#define LS_DIAGRAM_RING_OFFSET 5.0
#define LS_DIAGRAM_RING_WIDTH 3.5

/* The unit number that ls_diagram_column_get_slot_unit() returns for the
 * ellipsis slot. */
#define LS_DIAGRAM_NO_UNIT G_MAXSIZE

/* One column of neurons. A column with more units than fit shows the first
 * n_head and the last n_tail units with an ellipsis slot between them. */
typedef struct
{
  gsize units;     /* neurons in the layer, shown or not */
  gsize n_head;    /* units [0, n_head) fill the first slots */
  gsize n_tail;    /* units [units − n_tail, units) fill the last slots */
  double x;        /* centre of every neuron in the column */
  double y0;       /* centre of slot 0 */
  double pitch;    /* vertical distance between slot centres */
} LsDiagramColumn;

struct _LsDiagramLayout
{
  double width;
  double height;

  double font_px;       /* body text: titles, labels and legend, after any
                         * shrinking that made the neurons fit */
  double value_px;      /* numbers inside neurons, or 0 when they do not fit */
  double line_unit;     /* line widths scale with this, 1.0 at font_px 18 */
  double radius;        /* of every neuron */
  double edge_hit_px;   /* maximum distance from an edge that hits it */

  double left_labels;   /* width left of the input column for its labels,
                         * or 0 when they are left out */
  double right_labels;  /* the same right of the output column */
  double header_y;      /* top of the column titles */
  double header_height;
  double legend_y;      /* top of the legend band */
  double column_spacing;

  gsize n_columns;
  LsDiagramColumn *columns;  /* [n_columns], column 0 is the input */
};

gboolean ls_diagram_column_is_compact   (const LsDiagramColumn *column);
gsize    ls_diagram_column_get_n_slots  (const LsDiagramColumn *column);
gsize    ls_diagram_column_get_slot_unit (const LsDiagramColumn *column,
                                          gsize                  slot);
double   ls_diagram_column_get_slot_y   (const LsDiagramColumn *column,
                                         gsize                  slot);
gboolean ls_diagram_column_find_slot    (const LsDiagramColumn *column,
                                         gsize                  unit,
                                         gsize                 *slot);
/* Whether the layout was built for the network's current structure. */
gboolean ls_diagram_layout_matches      (const LsDiagramLayout *layout,
                                         LsNetwork             *network);

/* Column titles and subtitles, for the drawing and the layout's measurements. */
char    *ls_diagram_dup_column_title    (LsNetwork             *network,
                                         gsize                  column);
char    *ls_diagram_dup_column_subtitle (LsNetwork             *network,
                                         gsize                  column);

/* Returns how far the selection ring reaches outside a neuron's edge. */
double   ls_diagram_layout_get_ring_extent (const LsDiagramLayout *layout);

G_END_DECLS
