/* ls-cli.c: the command line and its --forward and --render modes, which need no display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ls-cli.h"
#include "ls-cli-private.h"
#include "ls-document.h"
#include "ls-engine.h"
#include "ls-explain.h"
#include "ls-image.h"
#include "ls-number.h"
#include "ls-paths.h"
#include "ls-render.h"

/* --step's value while the option is not given: every column shows its
 * values. No column number is negative, so --step -1 is an error. */
#define NO_STEP G_MININT

#define DEFAULT_WIDTH  1920
#define DEFAULT_HEIGHT 1080

/* Values per line in the text output of --forward. */
#define VALUES_PER_LINE 8

typedef struct
{
  gboolean forward;
  gboolean json;
  gboolean help;
  gboolean version;
  char *render_path;  /* in the file name encoding */
  char *input;
  char *input_image;  /* in the file name encoding */
  char *text;         /* UTF-8, unchecked */
  char *size;
  gboolean scale_feature_maps;
  gboolean high_contrast;
  gboolean presenter;
  int step;           /* NO_STEP without --step */
  GStrv files;        /* in the file name encoding */
  LsCliTrainOptions train;

  /* Parsed from the text above */
  GArray *input_values;  /* of float */
  int width;
  int height;
} CliOptions;

static void
cli_options_clear (CliOptions *options)
{
  g_clear_pointer (&options->render_path, g_free);
  g_clear_pointer (&options->input, g_free);
  g_clear_pointer (&options->input_image, g_free);
  g_clear_pointer (&options->text, g_free);
  g_clear_pointer (&options->size, g_free);
  g_clear_pointer (&options->files, g_strfreev);
  g_clear_pointer (&options->input_values, g_array_unref);
  ls_cli_train_options_clear (&options->train);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliOptions, cli_options_clear)

/* ---------------------------------------------------------------------
 * Options
 * --------------------------------------------------------------------- */

/* Whether argv has an option, so that the command line handles it, known
 * or not. Only the window's --gapplication-service, which D-Bus activation
 * passes, goes to GApplication. A lone "-" and everything after "--" are
 * file names. */
static gboolean
argv_requests_cli (int    argc,
                   char **argv)
{
  for (int i = 1; i < argc && argv[i] != NULL; i++)
    {
      const char *arg = argv[i];

      if (g_str_equal (arg, "--"))
        break;

      if (arg[0] == '-' && arg[1] != '\0' && !g_str_equal (arg, "--gapplication-service"))
        return TRUE;
    }

  return FALSE;
}

static GOptionContext *
create_option_context (CliOptions *options)
{
  const GOptionEntry entries[] = {
    { "forward", 0, 0, G_OPTION_ARG_NONE, &options->forward,
      N_("Print every layer’s activations and the output of FILE, then exit"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options->json,
      N_("With --forward, print one JSON object instead of text"), NULL },
    { "render", 0, 0, G_OPTION_ARG_FILENAME, &options->render_path,
      N_("Draw the diagram and output bars of FILE into OUT, a .png, .svg or .pdf file, then exit"),
      N_("OUT") },
    { "size", 0, 0, G_OPTION_ARG_STRING, &options->size,
      N_("Set the --render image size in pixels (default 1920x1080, from 320x240 to 16384x16384)"),
      N_("WxH") },
    { "scale-feature-maps", 0, 0, G_OPTION_ARG_NONE, &options->scale_feature_maps,
      N_("With --render, scale the colours of each convolution or pooling layer’s feature maps so "
         "that the layer’s largest magnitude gets the full colour, instead of the fixed −1 to +1 scale"),
      NULL },
    { "high-contrast", 0, 0, G_OPTION_ARG_NONE, &options->high_contrast,
      N_("With --render, draw with the high-contrast palette for projectors"), NULL },
    { "presenter", 0, 0, G_OPTION_ARG_NONE, &options->presenter,
      N_("With --render, draw lines at least 3 pixels wide and labels at least 24 pixels high"), NULL },
    { "step", 0, 0, G_OPTION_ARG_INT, &options->step,
      N_("With --render, show the forward pass computed up to column N: 0 is the input, N the "
         "output of layer N, and later columns stay grey"),
      N_("N") },
    { "input", 0, 0, G_OPTION_ARG_STRING, &options->input,
      N_("Set the input values for --forward or --render: one number per input value, in "
         "[channels][height][width] order for an image, separated by commas, so decimals take a "
         "point, not a comma"),
      N_("V1,V2,…") },
    { "input-image", 0, 0, G_OPTION_ARG_FILENAME, &options->input_image,
      N_("Set the input of an image network for --forward or --render from a PNG or JPEG file, "
         "scaled to the input’s height and width"),
      N_("FILE") },
    /* Taken as bytes, not converted from the locale's encoding by
     * GOption, so that UTF-8 text works in any locale; see
     * get_text_option(). */
    { "text", 0, 0, G_OPTION_ARG_FILENAME, &options->text,
      N_("Replace the text of a network with a text input for --forward or --render; it must have "
         "1 token up to the document’s max_tokens, and words outside the vocabulary become [UNK]"),
      N_("TEXT") },
    { NULL }
  };
  const GOptionEntry last_entries[] = {
    { "help", 'h', 0, G_OPTION_ARG_NONE, &options->help, N_("Show the options"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options->version, N_("Show the version"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options->files, NULL, NULL },
    { NULL }
  };
  GOptionContext *context = g_option_context_new (_("[FILE]"));

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  ls_cli_train_add_entries (context, &options->train);
  g_option_context_add_main_entries (context, last_entries, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_summary (context,
    _("Opens FILE, a layerscope-network JSON document, in a window. With --forward or\n"
      "--render it prints or draws the network instead and needs no display. Without\n"
      "FILE the cat-or-dog example is used. With --train it trains the network of FILE\n"
      "and writes the trained network to --out, also without a display."));
  g_option_context_set_description (context,
    _("With --json, --forward prints {\"input\": {...}, \"layers\": [...], \"output\": {...},\n"
      "\"parameters\": {...}}. \"input\" has \"shape\" and \"values\". Each layer has \"name\"\n"
      "(null when the layer has none), \"type\", \"shape\" (its output shape, such as [8]\n"
      "or [8, 26, 26] for channels, height and width), \"pre_activation\" and\n"
      "\"activation\". Values are flat lists in [channels][height][width] order, or\n"
      "[tokens][features] for a token sequence. For a text input, \"input\" also has\n"
      "\"text\", \"tokens\" (each token as the tokenizer wrote it) and \"ids\" (each\n"
      "token's index in the vocabulary), and each attention layer has \"attention\":\n"
      "[heads][tokens][tokens], one row of softmax weights per query token. In an\n"
      "attention layer \"pre_activation\" is the attention before the residual sum,\n"
      "in a layernorm layer the normalised values before gamma and beta, and in a\n"
      "positional layer the encoding that was added.\n"
      "\"output\" has \"labels\" (null for a unit without a label) and \"values\".\n"
      "\"parameters\" counts \"weights\", \"biases\" and \"total\". Numbers read back as\n"
      "the exact 32-bit floats.\n"
      "\n"
      "--input-image converts the picture to the input’s channels: 1 channel takes the\n"
      "luminance 0.299 R + 0.587 G + 0.114 B, 3 channels red, green and blue. It\n"
      "composites transparency over white, scales the picture to fit the input’s\n"
      "height and width with its aspect ratio kept, fills any margin with the mean\n"
      "colour of the picture's edge, and divides each byte by 255.\n"
      "\n"
      "--train prints one line per epoch: the loss and accuracy on the training\n"
      "samples and on the test samples, such as \"epoch 3/20  loss 0.4123  accuracy\n"
      "87.5 %  test loss 0.4420  test accuracy 85.0 %\". A set of target values has\n"
      "no accuracy, and a set without test samples no test figures. The trained\n"
      "document records its accuracy on the test samples, or on the training\n"
      "samples when --test-fraction is 0.\n"
      "\n"
      "Exit status: 0 on success, 1 when FILE cannot be loaded or drawn or its values\n"
      "overflow the float range, or when training diverges or writing --out\n"
      "fails, 2 for invalid options, including an --input-image or --dataset\n"
      "file that cannot be read or does not fit the network, and an --out whose\n"
      "folder is missing or that is not a regular file."));

  return context;
}

/* Parses "V1,V2,…" into options->input_values with ls_parse_float(),
 * which the window's number fields use too. */
static gboolean
parse_input_values (CliOptions  *options,
                    GError     **error)
{
  g_auto(GStrv) items = g_strsplit (options->input, ",", -1);

  options->input_values = g_array_new (FALSE, FALSE, sizeof (float));
  if (items[0] == NULL)
    {
      g_set_error_literal (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                           _("--input: no values given; give one number per input, separated by commas"));
      return FALSE;
    }

  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *item = g_strstrip (items[i]);
      g_autoptr(GError) number_error = NULL;
      float value;

      if (*item == '\0')
        {
          g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                       _("--input: value %u of “%s” is empty; give one number per input, separated by commas"),
                       i + 1, options->input);
          return FALSE;
        }

      if (!ls_parse_float (item, &value, &number_error))
        {
          g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                       _("--input: value %u of “%s”: %s"), i + 1, options->input, number_error->message);
          return FALSE;
        }
      g_array_append_val (options->input_values, value);
    }

  return TRUE;
}

static gboolean
parse_size (CliOptions  *options,
            GError     **error)
{
  g_auto(GStrv) sides = g_strsplit_set (options->size, "xX", -1);
  guint64 width;
  guint64 height;

  if (g_strv_length (sides) != 2 ||
      !g_ascii_string_to_unsigned (sides[0], 10, LS_RENDER_MIN_PAGE_WIDTH, LS_RENDER_MAX_PAGE_SIDE, &width, NULL) ||
      !g_ascii_string_to_unsigned (sides[1], 10, LS_RENDER_MIN_PAGE_HEIGHT, LS_RENDER_MAX_PAGE_SIDE, &height, NULL))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("--size: invalid value “%s”; expected WIDTHxHEIGHT in pixels, the width from %d to %d "
                     "and the height from %d to %d, such as 1920x1080"),
                   options->size, LS_RENDER_MIN_PAGE_WIDTH, LS_RENDER_MAX_PAGE_SIDE,
                   LS_RENDER_MIN_PAGE_HEIGHT, LS_RENDER_MAX_PAGE_SIDE);
      return FALSE;
    }

  options->width = width;
  options->height = height;
  return TRUE;
}

static gboolean
check_render_path (const char  *path,
                   GError     **error)
{
  static const char * const extensions[] = { ".png", ".svg", ".pdf", NULL };
  g_autofree char *display_name = g_filename_display_name (path);
  g_autofree char *folded = g_ascii_strdown (display_name, -1);

  for (guint i = 0; extensions[i] != NULL; i++)
    if (g_str_has_suffix (folded, extensions[i]) && strlen (folded) > strlen (extensions[i]))
      return TRUE;

  g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
               _("--render: unknown output type for “%s”; use a file name ending in .png, .svg or .pdf"),
               display_name);
  return FALSE;
}

/* Rejects options that contradict each other or make no sense alone. */
static gboolean
check_option_combination (const CliOptions  *options,
                          GError           **error)
{
  const char *message = NULL;
  gboolean train = options->train.train;
  gboolean has_file = options->files != NULL && options->files[0] != NULL;

  /* A --train option without --train is named before the missing mode. */
  if (!train && !ls_cli_train_check_combination (&options->train, has_file, error))
    return FALSE;

  if (options->forward && options->render_path != NULL)
    message = _("--forward and --render cannot be used together; run layerscope once for each");
  else if (train && (options->forward || options->render_path != NULL))
    message = _("--train cannot be used with --forward or --render; run layerscope once for each");
  else if (options->json && !options->forward)
    message = _("--json only applies to --forward; add --forward");
  else if (options->size != NULL && options->render_path == NULL)
    message = _("--size only applies to --render; add --render OUT");
  else if (options->scale_feature_maps && options->render_path == NULL)
    message = _("--scale-feature-maps only applies to --render; add --render OUT");
  else if ((options->high_contrast || options->presenter || options->step != NO_STEP) &&
           options->render_path == NULL)
    message = _("--high-contrast, --presenter and --step only apply to --render; add --render OUT");
  else if ((options->input != NULL) + (options->input_image != NULL) + (options->text != NULL) > 1)
    message = _("--input, --input-image and --text cannot be used together; give the input one way");
  else if (options->input != NULL && !options->forward && options->render_path == NULL)
    message = _("--input only applies to --forward or --render; add one of them");
  else if (options->input_image != NULL && options->input_image[0] == '\0')
    message = _("--input-image needs the name of a PNG or JPEG file");
  else if (options->input_image != NULL && !options->forward && options->render_path == NULL)
    message = _("--input-image only applies to --forward or --render; add one of them");
  else if (options->text != NULL && !options->forward && options->render_path == NULL)
    message = _("--text only applies to --forward or --render; add one of them");
  else if (!options->forward && options->render_path == NULL && !train)
    message = _("no mode given; add --forward, --render OUT or --train, or leave out every option to "
                "open the window");

  if (message != NULL)
    {
      g_set_error_literal (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT, message);
      return FALSE;
    }

  if (options->step != NO_STEP && options->step < 0)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("--step: invalid column number %d; give 0 for the input or N for the output of layer N"),
                   options->step);
      return FALSE;
    }

  if (options->files != NULL && g_strv_length (options->files) > 1)
    {
      g_autofree char *second = g_filename_display_name (options->files[1]);

      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("only one FILE can be given, but “%s” follows the first; remove the extra ones"),
                   second);
      return FALSE;
    }

  return ls_cli_train_check_combination (&options->train, has_file, error);
}

/* Checks everything in the parsed options that does not need the
 * document. */
static gboolean
check_options (CliOptions  *options,
               GError     **error)
{
  if (!check_option_combination (options, error))
    return FALSE;

  options->width = DEFAULT_WIDTH;
  options->height = DEFAULT_HEIGHT;
  if (options->size != NULL && !parse_size (options, error))
    return FALSE;
  if (options->render_path != NULL && !check_render_path (options->render_path, error))
    return FALSE;
  if (options->input != NULL && !parse_input_values (options, error))
    return FALSE;
  if (options->train.train && !ls_cli_train_check_options (&options->train, error))
    return FALSE;

  return TRUE;
}

/* ---------------------------------------------------------------------
 * Loading
 * --------------------------------------------------------------------- */

static LsNetwork *
load_network (const CliOptions  *options,
              GError           **error)
{
  g_autoptr(GFile) file = NULL;

  if (options->files != NULL && options->files[0] != NULL)
    file = g_file_new_for_commandline_arg (options->files[0]);
  else
    file = ls_paths_find_example (LS_DEFAULT_EXAMPLE, error);

  if (file == NULL)
    return NULL;

  return ls_document_load_file (file, error);
}

/* Fails when the forward pass overflowed: finite inputs and weights can
 * still give weighted sums beyond the float range. */
static gboolean
check_finite_output (LsNetwork  *network,
                     GError    **error)
{
  g_autofree char *title = NULL;
  gsize index;

  if (!ls_network_find_non_finite (network, &index))
    return TRUE;

  title = ls_explain_layer_title (network, index);
  g_set_error (error, LS_ERROR, LS_ERROR_INVALID_VALUE,
               _("layer %zu (%s): the weighted sums exceeded the float range (±3.4e38), so its "
                 "values are not finite numbers; use smaller inputs or weights"),
               index + 1, title);
  return FALSE;
}

static gboolean
apply_input_values (LsNetwork         *network,
                    const CliOptions  *options,
                    GError           **error)
{
  gsize expected = ls_network_get_input_size (network);
  GArray *values = options->input_values;

  if (ls_network_has_token_input (network))
    {
      g_set_error_literal (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                           _("--input: the network’s input is text, not numbers; give it with --text TEXT"));
      return FALSE;
    }

  if (values->len != expected)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "--input: expected %zu value, one per input of the network, "
                                "found %u in “%s”",
                                "--input: expected %zu values, one per input of the network, "
                                "found %u in “%s”",
                                expected),
                   expected, values->len, options->input);
      return FALSE;
    }

  return ls_network_set_input (network, (const float *) values->data, values->len, error);
}

/* Reads --input-image into the network's input, which must be an image. */
static gboolean
apply_input_image (LsNetwork         *network,
                   const CliOptions  *options,
                   GError           **error)
{
  const LsShape *shape = ls_network_get_input_shape (network);
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (options->input_image);
  g_autofree float *values = NULL;  /* [channels][height][width] */

  if (ls_network_has_token_input (network))
    {
      g_set_error_literal (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                           _("--input-image: the network’s input is text, not an image; give it with --text TEXT"));
      return FALSE;
    }

  if (shape->rank != 3)
    {
      g_autofree char *text = ls_shape_to_string (shape);

      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("--input-image: the network’s input is a vector of shape %s, not an image "
                     "[channels, height, width]; give its values with --input V1,V2,… instead"),
                   text);
      return FALSE;
    }

  if (!ls_image_load_input (file, shape, &values, error))
    {
      g_prefix_error (error, "--input-image: ");
      return FALSE;
    }

  return ls_network_set_input (network, values, ls_shape_get_size (shape), error);
}

/* Sets --text as the text of the network's text input. */
/* Returns --text as UTF-8: as given when it is valid UTF-8, which it is
 * in a UTF-8 locale, else converted from the locale's encoding. */
static char *
get_text_option (const char  *text,
                 GError     **error)
{
  g_autoptr(GError) conversion_error = NULL;
  char *converted;

  if (g_utf8_validate (text, -1, NULL))
    return g_strdup (text);

  converted = g_locale_to_utf8 (text, -1, NULL, NULL, &conversion_error);
  if (converted == NULL)
    g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                 _("the text is neither UTF-8 nor in the encoding of the locale (%s); "
                   "write it in UTF-8"),
                 conversion_error->message);

  return converted;
}

static gboolean
apply_input_text (LsNetwork         *network,
                  const CliOptions  *options,
                  GError           **error)
{
  g_autofree char *text = NULL;

  if (!ls_network_has_token_input (network))
    {
      g_autofree char *shape = ls_shape_to_string (ls_network_get_input_shape (network));

      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   _("--text: the network’s input is not text but numbers of shape %s; "
                     "give them with --input or --input-image instead"),
                   shape);
      return FALSE;
    }

  text = get_text_option (options->text, error);
  if (text == NULL || !ls_network_set_text (network, text, error))
    {
      g_prefix_error (error, "--text: ");
      return FALSE;
    }

  return TRUE;
}

static gboolean
apply_input (LsNetwork         *network,
             const CliOptions  *options,
             GError           **error)
{
  if (options->input_values != NULL)
    return apply_input_values (network, options, error);
  if (options->input_image != NULL)
    return apply_input_image (network, options, error);
  if (options->text != NULL)
    return apply_input_text (network, options, error);

  return TRUE;
}

/* ---------------------------------------------------------------------
 * --forward as text
 * --------------------------------------------------------------------- */

/* Formats with two decimals, and switches to an exponent for values that
 * would otherwise show as 0.00 without being zero, or grow too wide. */
static void
format_value (char   *buffer,
              gsize   size,
              float   value)
{
  float magnitude = fabsf (value);

  if (value == 0.0f)
    g_snprintf (buffer, size, "%.2f", 0.0);
  else if (isfinite (value) && (magnitude < 0.005f || magnitude >= 1e5f))
    g_snprintf (buffer, size, "%.2e", (double) value);
  else
    g_snprintf (buffer, size, "%.2f", (double) value);
}

/* Appends "  caption   v1   v2 …", VALUES_PER_LINE values to a line. */
static void
append_value_rows (GString     *out,
                   const char  *caption,
                   const float *values,
                   gsize        n)
{
  int caption_width = 16 + (int) (strlen (caption) - g_utf8_strlen (caption, -1));

  g_string_append_printf (out, "  %-*s", caption_width, caption);
  for (gsize i = 0; i < n; i++)
    {
      char text[32];

      if (i > 0 && i % VALUES_PER_LINE == 0)
        g_string_append_printf (out, "\n  %-16s", "");
      format_value (text, sizeof text, values[i]);
      g_string_append_printf (out, " %9s", text);
    }
  g_string_append_c (out, '\n');
}

/* Appends a sequence [tokens][features] under the caption, one token at
 * a time, each starting a new line. */
static void
append_sequence_rows (GString       *out,
                      const char    *caption,
                      const float   *values,
                      const LsShape *shape)
{
  gsize d = shape->dims[1];

  g_string_append_printf (out, "  %s\n", caption);
  for (gsize t = 0; t < shape->dims[0]; t++)
    {
      g_autofree char *token = g_strdup_printf (_("  token %zu"), t + 1);

      append_value_rows (out, token, values + t * d, d);
    }
}

/* Appends the values of a tensor: a vector as one block of rows, a
 * sequence one token at a time, and an image-shaped
 * [channels][height][width] tensor under the caption one channel at a
 * time, with each image row starting a new line. */
static void
append_tensor_rows (GString       *out,
                    const char    *caption,
                    const float   *values,
                    const LsShape *shape)
{
  gsize height, width;

  if (shape->rank == 2)
    {
      append_sequence_rows (out, caption, values, shape);
      return;
    }

  if (shape->rank != 3)
    {
      append_value_rows (out, caption, values, ls_shape_get_size (shape));
      return;
    }

  height = shape->dims[1];
  width = shape->dims[2];
  g_string_append_printf (out, "  %s\n", caption);
  for (gsize c = 0; c < shape->dims[0]; c++)
    {
      g_autofree char *name = g_strdup_printf (_("channel %zu"), c + 1);
      g_autofree char *channel = g_strconcat ("  ", name, NULL);

      for (gsize y = 0; y < height; y++)
        append_value_rows (out, y == 0 ? channel : "", values + (c * height + y) * width, width);
    }
}

/* Appends an attention layer's softmax weights, one block per head with
 * one row per query token and one column per key token. */
static void
append_attention_text (GString       *out,
                       const LsLayer *layer)
{
  gsize tokens = ls_layer_get_tokens (layer);

  for (gsize h = 0; h < layer->heads; h++)
    {
      g_autofree char *caption = g_strdup_printf (_("attention of head %zu, one row per query token"), h + 1);
      LsShape shape;

      ls_shape_init_2d (&shape, tokens, tokens);
      append_sequence_rows (out, caption, ls_layer_get_attention_head (layer, h), &shape);
    }
}

/* Pooling, flatten and the token layers have no activation function, so
 * they show their output alone. */
static void
append_layer_text (GString       *out,
                   const LsLayer *layer,
                   gsize          index)
{
  g_autofree char *shape = ls_shape_to_string (&layer->output_shape);

  g_string_append_printf (out, _("Layer %zu"), index + 1);
  if (layer->name != NULL)
    g_string_append_printf (out, " · %s", layer->name);
  g_string_append_printf (out, " · %s %s", ls_layer_kind_get_display_name (layer->kind), shape);

  if (ls_layer_has_parameters (layer))
    {
      g_string_append_printf (out, " · %s\n", ls_activation_get_display_name (layer->activation));
      append_tensor_rows (out, _("pre-activation"), layer->pre_activation, &layer->output_shape);
      append_tensor_rows (out, _("activation"), layer->activation_output, &layer->output_shape);
    }
  else
    {
      g_string_append_c (out, '\n');
      append_tensor_rows (out, _("values"), layer->activation_output, &layer->output_shape);
    }
  if (layer->kind == LS_LAYER_ATTENTION)
    append_attention_text (out, layer);
  g_string_append_c (out, '\n');
}

/* Returns the output unit's label, or "unit N" when it has none. */
static char *
dup_output_label (const LsLayer *output,
                  gsize          unit)
{
  const char *label = ls_layer_get_label (output, unit);

  if (label != NULL && *label != '\0')
    return g_strdup (label);

  return g_strdup_printf (_("unit %zu"), unit + 1);
}

/* Appends one line per output unit: its label, then a percentage for a
 * softmax layer or the value for any other activation. */
static void
append_output_text (GString       *out,
                    const LsLayer *output)
{
  gsize n = ls_layer_get_outputs (output);
  glong label_width = 0;

  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *label = dup_output_label (output, i);

      label_width = MAX (label_width, g_utf8_strlen (label, -1));
    }

  g_string_append_printf (out, "%s\n", _("Output"));
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *label = dup_output_label (output, i);
      int padding = (int) (label_width - g_utf8_strlen (label, -1)) + 2;
      float value = output->activation_output[i];
      char text[32];

      if (output->activation == LS_ACTIVATION_SOFTMAX)
        g_snprintf (text, sizeof text, "%5.1f %%", 100.0 * value);
      else
        format_value (text, sizeof text, value);
      g_string_append_printf (out, "  %s%*s%s\n", label, padding, "", text);
    }
}

/* Appends the text and one line per token: its number, the token and
 * its vocabulary id, marked when the token is not in the vocabulary. */
static void
append_text_input (GString   *out,
                   LsNetwork *network)
{
  gsize n_tokens = ls_network_get_n_tokens (network);
  LsVocabulary *vocabulary = ls_network_get_vocabulary (network);
  gsize unknown = ls_vocabulary_get_unknown_id (vocabulary);

  g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "Input: text of %zu token\n",
                                            "Input: text of %zu tokens\n", n_tokens),
                          n_tokens);
  g_string_append_printf (out, "  “%s”\n", ls_network_get_text (network));

  for (gsize t = 0; t < n_tokens; t++)
    {
      const char *token = ls_network_get_token (network, t);
      gsize id = ls_network_get_token_id (network, t);

      g_string_append_printf (out, _("  token %zu  %s  id %zu"), t + 1, token, id);
      if (id == unknown && !g_str_equal (token, LS_UNKNOWN_TOKEN))
        g_string_append_printf (out, _(" (not in the vocabulary, read as %s)"), LS_UNKNOWN_TOKEN);
      g_string_append_c (out, '\n');
    }
}

static void
print_forward_text (LsNetwork *network)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *input_shape = ls_shape_to_string (ls_network_get_input_shape (network));
  LsParameterCount count;

  if (ls_network_get_title (network) != NULL)
    g_string_append_printf (out, "%s\n\n", ls_network_get_title (network));

  if (ls_network_has_token_input (network))
    {
      append_text_input (out, network);
    }
  else
    {
      g_string_append_printf (out, _("Input %s\n"), input_shape);
      append_tensor_rows (out, _("values"), ls_network_get_input (network),
                          ls_network_get_input_shape (network));
    }
  g_string_append_c (out, '\n');

  for (gsize i = 0; i < ls_network_get_n_layers (network); i++)
    append_layer_text (out, ls_network_get_layer (network, i), i);

  append_output_text (out, ls_network_get_output_layer (network));

  ls_network_get_parameter_count (network, &count);
  g_string_append_printf (out,
                          _("\nParameters: weights %zu, biases %zu, total %zu\n"),
                          count.weights, count.biases, count.total);

  g_print ("%s", out->str);
}

/* ---------------------------------------------------------------------
 * --forward --json
 * --------------------------------------------------------------------- */

static void
append_json_string (GString    *out,
                    const char *text)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *quoted = NULL;

  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  node = json_node_init_string (json_node_alloc (), text);
  quoted = json_to_string (node, FALSE);
  g_string_append (out, quoted);
}

/* Appends [v1, v2, …] with every finite value exact and null for the rest. */
static void
append_json_numbers (GString     *out,
                     const float *values,
                     gsize        n)
{
  g_string_append_c (out, '[');
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      if (isfinite (values[i]))
        ls_document_append_float (out, values[i]);
      else
        g_string_append (out, "null");
    }
  g_string_append_c (out, ']');
}

/* Appends [d1, d2, …], which ls_shape_to_string() writes as JSON. */
static void
append_json_shape (GString       *out,
                   const LsShape *shape)
{
  g_autofree char *text = ls_shape_to_string (shape);

  g_string_append (out, text);
}

/* Appends ", "text": …, "tokens": […], "ids": […]" for a text input. */
static void
append_text_json (GString   *out,
                  LsNetwork *network)
{
  gsize n_tokens = ls_network_get_n_tokens (network);

  g_string_append (out, ", \"text\": ");
  append_json_string (out, ls_network_get_text (network));

  g_string_append (out, ", \"tokens\": [");
  for (gsize t = 0; t < n_tokens; t++)
    {
      if (t > 0)
        g_string_append (out, ", ");
      append_json_string (out, ls_network_get_token (network, t));
    }

  g_string_append (out, "], \"ids\": [");
  for (gsize t = 0; t < n_tokens; t++)
    g_string_append_printf (out, "%s%" G_GSIZE_FORMAT, t > 0 ? ", " : "",
                            ls_network_get_token_id (network, t));
  g_string_append_c (out, ']');
}

static void
append_input_json (GString   *out,
                   LsNetwork *network)
{
  g_string_append (out, "{\"shape\": ");
  append_json_shape (out, ls_network_get_input_shape (network));
  g_string_append (out, ", \"values\": ");
  append_json_numbers (out, ls_network_get_input (network), ls_network_get_input_size (network));
  if (ls_network_has_token_input (network))
    append_text_json (out, network);
  g_string_append_c (out, '}');
}

/* Appends ", "attention": [heads][tokens][tokens]" as nested lists. */
static void
append_attention_json (GString       *out,
                       const LsLayer *layer)
{
  gsize tokens = ls_layer_get_tokens (layer);

  g_string_append (out, ", \"attention\": [");
  for (gsize h = 0; h < layer->heads; h++)
    {
      const float *weights = ls_layer_get_attention_head (layer, h);  /* [tokens][tokens] */

      g_string_append (out, h > 0 ? ", [" : "[");
      for (gsize q = 0; q < tokens; q++)
        {
          if (q > 0)
            g_string_append (out, ", ");
          append_json_numbers (out, weights + q * tokens, tokens);
        }
      g_string_append_c (out, ']');
    }
  g_string_append_c (out, ']');
}

static void
append_layer_json (GString       *out,
                   const LsLayer *layer)
{
  gsize n = ls_layer_get_outputs (layer);

  g_string_append (out, "{\"name\": ");
  append_json_string (out, layer->name);
  g_string_append (out, ", \"type\": ");
  append_json_string (out, ls_layer_kind_get_name (layer->kind));
  g_string_append (out, ", \"shape\": ");
  append_json_shape (out, &layer->output_shape);
  g_string_append (out, ", \"pre_activation\": ");
  append_json_numbers (out, layer->pre_activation, n);
  g_string_append (out, ", \"activation\": ");
  append_json_numbers (out, layer->activation_output, n);
  if (layer->kind == LS_LAYER_ATTENTION)
    append_attention_json (out, layer);
  g_string_append_c (out, '}');
}

static void
append_output_json (GString       *out,
                    const LsLayer *output)
{
  gsize n = ls_layer_get_outputs (output);

  g_string_append (out, "{\"labels\": [");
  for (gsize i = 0; i < n; i++)
    {
      const char *label = ls_layer_get_label (output, i);

      if (i > 0)
        g_string_append (out, ", ");
      append_json_string (out, label != NULL && *label != '\0' ? label : NULL);
    }
  g_string_append (out, "], \"values\": ");
  append_json_numbers (out, output->activation_output, n);
  g_string_append_c (out, '}');
}

/* Writes the JSON to stdout byte for byte, because g_print() would
 * convert it to the locale's character set. */
static void
print_forward_json (LsNetwork *network)
{
  g_autoptr(GString) out = g_string_new ("{\"input\": ");
  LsParameterCount count;

  append_input_json (out, network);
  g_string_append (out, ", \"layers\": [");

  for (gsize i = 0; i < ls_network_get_n_layers (network); i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      append_layer_json (out, ls_network_get_layer (network, i));
    }

  g_string_append (out, "], \"output\": ");
  append_output_json (out, ls_network_get_output_layer (network));

  ls_network_get_parameter_count (network, &count);
  g_string_append_printf (out,
                          ", \"parameters\": {\"weights\": %" G_GSIZE_FORMAT ", \"biases\": %" G_GSIZE_FORMAT
                          ", \"total\": %" G_GSIZE_FORMAT "}}\n",
                          count.weights, count.biases, count.total);

  fwrite (out->str, 1, out->len, stdout);
  fflush (stdout);
}

/* ---------------------------------------------------------------------
 * Running
 * --------------------------------------------------------------------- */

/* Loads the document, applies --input and prints or draws the network. */
static int
run_mode (const CliOptions  *options,
          GError           **error)
{
  g_autoptr(LsNetwork) network = load_network (options, error);
  LsRenderStyle style = LS_RENDER_STYLE_INIT;

  if (network == NULL)
    return EXIT_FAILED;

  style.scale_feature_maps = options->scale_feature_maps;
  style.high_contrast = options->high_contrast;
  style.presenter = options->presenter;
  style.step_column = options->step == NO_STEP ? -1 : options->step;

  if (options->train.train)
    return ls_cli_train_run (network, &options->train, error);

  if (!apply_input (network, options, error))
    return EXIT_USAGE;

  if (options->step > (int) ls_network_get_n_layers (network))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                   /* TRANSLATORS: --step's column number and the network's last column */
                   _("--step: column %d does not exist; this network has columns 0 (the input) to %zu"),
                   options->step, ls_network_get_n_layers (network));
      return EXIT_USAGE;
    }

  if (!check_finite_output (network, error))
    return EXIT_FAILED;

  if (options->render_path != NULL)
    return ls_render_to_file (network, options->render_path, options->width, options->height,
                              &style, error) ? EXIT_OK : EXIT_FAILED;

  if (options->json)
    print_forward_json (network);
  else
    print_forward_text (network);

  return EXIT_OK;
}

/* GOptionContext takes "--forward=no" as --forward, so a value given to
 * an option without one is rejected before parsing. The separate value of
 * an option that takes one is skipped, because it may start with "-". */
static gboolean
check_flags_without_values (int      argc,
                            char   **argv,
                            GError **error)
{
  static const char * const flags[] = {
    "--forward", "--json", "--help", "--version", "--train", "--regression", NULL
  };
  static const char * const with_values[] = {
    "--render", "--input", "--input-image", "--text", "--size", NULL
  };

  for (int i = 1; i < argc && !g_str_equal (argv[i], "--"); i++)
    {
      if (g_strv_contains (with_values, argv[i]) ||
          g_strv_contains (ls_cli_train_get_value_options (), argv[i]))
        {
          i++;
          continue;
        }

      for (guint j = 0; flags[j] != NULL; j++)
        {
          gsize length = strlen (flags[j]);

          if (strncmp (argv[i], flags[j], length) == 0 && argv[i][length] == '=')
            {
              g_set_error (error, LS_ERROR, LS_ERROR_INVALID_ARGUMENT,
                           _("%s takes no value, but “%s” gives one; write %s alone to turn it on, "
                             "or leave it out"),
                           flags[j], argv[i], flags[j]);
              return FALSE;
            }
        }
    }

  return TRUE;
}

/* Parses argv into options. Prints the message and returns FALSE on a
 * syntax error, with a hint because it may be a typo in an option name. */
static gboolean
parse_arguments (GOptionContext  *context,
                 const char      *program,
                 int              argc,
                 char           **argv)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = g_new0 (char *, argc + 1);

  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);

  if (!check_flags_without_values (argc, argv, &error))
    {
      g_printerr ("%s: %s\n", program, error->message);
      return FALSE;
    }

  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_printerr (_("%s: %s. Run “%s --help” to see the options.\n"), program, error->message, program);
      return FALSE;
    }

  return TRUE;
}

static int
run (int    argc,
     char **argv)
{
  g_auto(CliOptions) options = { .step = NO_STEP };
  g_autoptr(GOptionContext) context = create_option_context (&options);
  g_autoptr(GError) error = NULL;
  g_autofree char *program = g_path_get_basename (argv[0] != NULL ? argv[0] : "layerscope");
  int status;

  if (!parse_arguments (context, program, argc, argv))
    return EXIT_USAGE;

  if (options.help)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_print ("%s", help);
      return EXIT_OK;
    }

  if (options.version)
    {
      g_print ("layerscope %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }

  if (!check_options (&options, &error))
    {
      g_printerr ("%s: %s\n", program, error->message);
      return EXIT_USAGE;
    }

  status = run_mode (&options, &error);
  if (error != NULL)
    g_printerr ("%s: %s\n", program, error->message);

  return status;
}

gboolean
ls_cli_run (int    argc,
            char **argv,
            int   *status)
{
  g_return_val_if_fail (argc >= 1, FALSE);
  g_return_val_if_fail (argv != NULL, FALSE);
  g_return_val_if_fail (status != NULL, FALSE);

  if (!argv_requests_cli (argc, argv))
    return FALSE;

  /* Debug messages, such as the loader's list of ignored keys, must not
   * mix with the output of --forward. */
  g_log_writer_default_set_use_stderr (TRUE);

  *status = run (argc, argv);
  return TRUE;
}
