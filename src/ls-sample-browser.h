/* ls-sample-browser.h: a data set's images, or its phrases, as inputs,
 * with their true labels next to the network's prediction
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ls-dataset.h"
#include "ls-network.h"

G_BEGIN_DECLS

#define LS_TYPE_SAMPLE_BROWSER (ls_sample_browser_get_type ())

G_DECLARE_FINAL_TYPE (LsSampleBrowser, ls_sample_browser, LS, SAMPLE_BROWSER, GtkWidget)

GtkWidget *ls_sample_browser_new           (void);
/* Sets the network whose input a chosen sample replaces, and starts
 * loading its data set. That is the one it was trained on when it is
 * built in, else "digits" for a 1 × 8 × 8 input and "fashion-mnist" for
 * 1 × 28 × 28. */
void       ls_sample_browser_set_network   (LsSampleBrowser *self,
                                            LsNetwork       *network);
/* Starts loading a split of a built-in data set in a thread. The shown
 * data set changes once it has loaded, and a failure is shown instead. */
void       ls_sample_browser_load_builtin  (LsSampleBrowser *self,
                                            const char      *name,
                                            const char      *split);
/* Starts loading an MNIST-format IDX pair chosen as files of GFile: the
 * images file, whose labels file is then found by MNIST's naming
 * ("t10k-labels-idx1-ubyte.gz" for "t10k-images-idx3-ubyte.gz"), or both
 * files. Without a labels file the samples have no labels. */
void       ls_sample_browser_open_idx_files (LsSampleBrowser *self,
                                             GListModel      *files);
/* Returns the shown data set, or NULL while none has loaded. */
LsDataset *ls_sample_browser_get_dataset   (LsSampleBrowser *self);
/* Shows sample index and, when its shape is the input's, makes it the
 * network's input. */
void       ls_sample_browser_select_sample (LsSampleBrowser *self,
                                            gsize            index);

/* The held-out phrases of a text network's data set, offered as texts to
 * type. Picking one emits ::phrase-chosen with its text, for the text
 * field to take as if typed. The browser shows the phrase's true label
 * next to the network's prediction while the network's text is that
 * phrase. */
#define LS_TYPE_PHRASE_BROWSER (ls_phrase_browser_get_type ())

G_DECLARE_FINAL_TYPE (LsPhraseBrowser, ls_phrase_browser, LS, PHRASE_BROWSER, GtkWidget)

GtkWidget *ls_phrase_browser_new            (void);
/* Sets the network whose predictions the browser marks. When the network
 * reads text and its evaluation names the built-in "sentiment" data set,
 * loads that set's test phrases, datasets/sentiment-test.tsv in the data
 * folder. The browser hides itself when there are no phrases. */
void       ls_phrase_browser_set_network    (LsPhraseBrowser *self,
                                             LsNetwork       *network);
/* Dims the true label and the prediction while stale, when they belong
 * to the network's last valid text rather than to the text on screen. */
void       ls_phrase_browser_set_stale      (LsPhraseBrowser *self,
                                             gboolean         stale);
/* Returns the number of loaded phrases, 0 when none are. */
gsize      ls_phrase_browser_get_n_phrases  (LsPhraseBrowser *self);
/* Shows phrase index and emits ::phrase-chosen with its text. */
void       ls_phrase_browser_select_phrase  (LsPhraseBrowser *self,
                                             gsize            index);

G_END_DECLS
