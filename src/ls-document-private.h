/* ls-document-private.h: parts of the document reader and writer shared by their files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ls-document.h"
#include "ls-error.h"

G_BEGIN_DECLS

/* JsonParser recurses once per nesting level and overflows the stack on
 * input such as a million '[' characters, so deeper documents are rejected
 * before parsing. Documents nest at most 7 levels deep: the top-level
 * object, "layers", a layer, and a conv2d layer's "weights" with its
 * filters, channels and kernel rows. */
#define MAX_NESTING_DEPTH 64

/* The smallest double that rounds to infinity when cast to float:
 * FLT_MAX plus half a unit in the last place, which ties to even upwards. */
#define FLOAT_OVERFLOW_THRESHOLD 0x1.ffffffp+127

/* FLT_MAX in the fewest digits that read back as it. */
#define FLT_MAX_TEXT "3.4028235e38"

/* The format version that added image inputs and the conv2d, maxpool2d,
 * avgpool2d and flatten layers. */
#define LS_DOCUMENT_IMAGE_VERSION 2

/* The format version that added text inputs, the embedding, positional,
 * attention, layernorm and pool_tokens layers, and residual dense layers. */
#define LS_DOCUMENT_TOKENS_VERSION 3

/* ---------------------------------------------------------------------
 * Layer kinds
 * --------------------------------------------------------------------- */

/* Reads one layer kind's keys from object. input_shape is the output
 * shape of the previous layer, or the input's for the first layer, and
 * index the position in "layers". */
typedef LsLayer *(*LsReadLayerFunc)  (const char     *source,
                                      JsonObject     *object,
                                      const char     *path,
                                      gsize           index,
                                      const LsShape  *input_shape,
                                      GError        **error);
/* Appends the kind's keys after "type" and "name", each as ",\n" + key. */
typedef void     (*LsWriteLayerFunc) (GString        *out,
                                      const LsLayer  *layer);

typedef struct
{
  LsReadLayerFunc read;
  LsWriteLayerFunc write;
  const char * const *keys;  /* keys the kind reads, besides "type" and "name" */
} LsLayerFormat;

/* ls-document-dense.c */
extern const LsLayerFormat ls_document_dense_format;
/* ls-document-conv.c */
extern const LsLayerFormat ls_document_conv2d_format;
extern const LsLayerFormat ls_document_maxpool2d_format;
extern const LsLayerFormat ls_document_avgpool2d_format;
extern const LsLayerFormat ls_document_flatten_format;
/* ls-document-tokens.c */
extern const LsLayerFormat ls_document_embedding_format;
extern const LsLayerFormat ls_document_positional_format;
extern const LsLayerFormat ls_document_attention_format;
extern const LsLayerFormat ls_document_layernorm_format;
extern const LsLayerFormat ls_document_pool_tokens_format;

/* ---------------------------------------------------------------------
 * The input and the dataset, in ls-document-input.c
 * --------------------------------------------------------------------- */

typedef struct
{
  LsShape shape;   /* [size], or [channels, height, width]; [1] for a text
                    * input, whose layers are read for one token */
  float *values;   /* [size]; NULL for a text input */
  GStrv labels;    /* nullable, [size], for vector inputs only */
  LsNetwork *text_network;  /* nullable: a text input, with its vocabulary,
                             * max_tokens and text but no layers */
} LsInputSpec;

void     ls_input_spec_clear           (LsInputSpec  *input);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LsInputSpec, ls_input_spec_clear)

/* Reads the required "input" object. */
gboolean ls_document_read_input        (const char   *source,
                                        JsonObject   *root,
                                        LsInputSpec  *input,
                                        GError      **error);
/* Reads the optional "dataset" object into *evaluation, whose strings
 * point into root, and sets *present to whether the key is there. */
gboolean ls_document_read_dataset      (const char   *source,
                                        JsonObject   *root,
                                        LsEvaluation *evaluation,
                                        gboolean     *present,
                                        GError      **error);
void     ls_document_write_input       (GString      *out,
                                        LsNetwork    *network);
/* Appends "[\n", one row of columns numbers per line, each indented by
 * indent + 2 spaces, and "]" indented by indent. values is [rows][columns]. */
void     ls_document_append_matrix     (GString      *out,
                                        guint         indent,
                                        const float  *values,
                                        gsize         rows,
                                        gsize         columns);
/* Appends the "dataset" member when the network has an evaluation. */
void     ls_document_write_dataset     (GString      *out,
                                        LsNetwork    *network);

/* ---------------------------------------------------------------------
 * Writing, in ls-document.c
 * --------------------------------------------------------------------- */

void     ls_document_append_string      (GString            *out,
                                         const char         *text);
/* Appends "[a, b, c]". */
void     ls_document_append_float_array (GString            *out,
                                         const float        *values,
                                         gsize               n);
/* Appends n labels. labels may be NULL or shorter than n, and the missing
 * ones are written as "", which the loader reads back as no label. */
void     ls_document_append_labels      (GString            *out,
                                         const char * const *labels,
                                         gsize               n);
/* Appends "\"key\": " after a comma and a newline with the given indent. */
void     ls_document_begin_member       (GString            *out,
                                         guint               indent,
                                         const char         *key);
/* Whether a list of labels has a non-empty one among its first n. */
gboolean ls_document_has_labels         (const char * const *labels,
                                         gsize               n);
/* Appends the "init" member, {"scheme": …, "seed": …}. */
void     ls_document_append_init        (GString            *out,
                                         guint               indent,
                                         const LsInit       *init);
/* Appends the "activation" and "init" members of a dense or conv2d
 * layer, and its "labels" when it has any, one per unit or filter. */
void     ls_document_append_activation_init_labels (GString       *out,
                                                    const LsLayer *layer);

/* ---------------------------------------------------------------------
 * Reading, in ls-document.c
 * --------------------------------------------------------------------- */

/* Sets an LS_ERROR whose message is "SOURCE: PATH: MESSAGE", or
 * "SOURCE: MESSAGE" when path is NULL. */
void     ls_document_set_error (GError     **error,
                                const char  *source,
                                LsError      code,
                                const char  *path,
                                const char  *format,
                                ...) G_GNUC_PRINTF (5, 6);
/* Sets an error with the domain and code of engine_error and the message
 * "SOURCE: PATH: ENGINE MESSAGE", for a shape that the engine rejects. */
void     ls_document_set_engine_error (GError     **error,
                                       const char  *source,
                                       const char  *path,
                                       const GError *engine_error);

/* Returns "parent.key", or "key" at the top level. */
char    *ls_document_member_path  (const char  *parent,
                                   const char  *key);
/* Returns "parent[index]". */
char    *ls_document_element_path (const char  *parent,
                                   gsize        index);
/* Describes a JSON value for "found …" in messages, such as "an array"
 * or "the string “x”". */
char    *ls_document_describe_node (JsonNode   *node);
/* Sets "expected EXPECTED, found …" for a value of the wrong type. */
void     ls_document_set_type_error (GError     **error,
                                     const char  *source,
                                     const char  *path,
                                     const char  *expected,
                                     JsonNode    *found);
/* Logs the keys of object that are in neither list. more_known may be NULL. */
void     ls_document_log_unknown_keys (JsonObject         *object,
                                       const char         *path,
                                       const char * const *known,
                                       const char * const *more_known);

gboolean ls_document_get_object  (const char  *source,
                                  JsonNode    *node,
                                  const char  *path,
                                  JsonObject **object,
                                  GError     **error);
gboolean ls_document_get_array   (const char  *source,
                                  JsonNode    *node,
                                  const char  *path,
                                  JsonArray  **array,
                                  GError     **error);
/* Looks up a key that must be present. parent is the object's own path,
 * for the message. */
JsonNode *ls_document_get_required_member (const char  *source,
                                           JsonObject  *object,
                                           const char  *parent,
                                           const char  *key,
                                           GError     **error);
/* Reads an integer, rejecting numbers written with a fraction or an
 * exponent such as 4.0. */
gboolean ls_document_get_integer (const char  *source,
                                  JsonNode    *node,
                                  const char  *path,
                                  gint64      *value,
                                  GError     **error);
/* Reads a UTF-8 string of at most max_length bytes. */
gboolean ls_document_get_string  (const char  *source,
                                  JsonNode    *node,
                                  const char  *path,
                                  gsize        max_length,
                                  const char **value,
                                  GError     **error);
/* Reads an optional string member into *value, leaving it NULL when the
 * key is absent. */
gboolean ls_document_get_optional_string (const char  *source,
                                          JsonObject  *object,
                                          const char  *parent,
                                          const char  *key,
                                          gsize        max_length,
                                          const char **value,
                                          GError     **error);
/* Reads a number that fits in a float. */
gboolean ls_document_get_float   (const char  *source,
                                  JsonNode    *node,
                                  const char  *path,
                                  float       *value,
                                  GError     **error);
/* Reads an optional boolean member, leaving *value as it is when the key
 * is absent. */
gboolean ls_document_get_optional_boolean (const char  *source,
                                           JsonObject  *object,
                                           const char  *parent,
                                           const char  *key,
                                           gboolean    *value,
                                           GError     **error);
/* Reads the required string member key of object and returns its
 * position in names, [n_names], in *index. unknown_format is the message
 * for a name that is not there, with "%s" for the name and then the
 * known names. */
gboolean ls_document_read_name_member (const char          *source,
                                       JsonObject          *object,
                                       const char          *path,
                                       const char          *key,
                                       const char * const  *names,
                                       guint                n_names,
                                       const char          *unknown_format,
                                       guint               *index,
                                       GError             **error);
/* Reads a matrix [rows][columns] of numbers into values. expected_rows
 * and expected_columns start the messages for a wrong count, such as
 * "expected 16 rows, one per feature". */
gboolean ls_document_get_matrix  (const char  *source,
                                  JsonNode    *node,
                                  const char  *path,
                                  gsize        rows,
                                  gsize        columns,
                                  const char  *expected_rows,
                                  const char  *expected_columns,
                                  float       *values,
                                  GError     **error);
/* Reads a required integer member that is a size, from min to max.
 * out_of_range is the LS_ERROR_INVALID_SHAPE message for a value outside,
 * which gets min, max and the value as long long, such as "expected %lld
 * to %lld units, found %lld". */
gboolean ls_document_read_size_member (const char  *source,
                                       JsonObject  *object,
                                       const char  *parent,
                                       const char  *key,
                                       gint64       min,
                                       gint64       max,
                                       const char  *out_of_range,
                                       gint64      *value,
                                       GError     **error);
/* Reads an array of exactly n numbers. The elements are named path[row][i],
 * or path[i] when row is negative. expected starts the message for a
 * wrong count, e.g. "expected 4 biases, one per unit". */
gboolean ls_document_get_float_array (const char  *source,
                                      JsonNode    *node,
                                      const char  *path,
                                      gssize       row,
                                      gsize        n,
                                      const char  *expected,
                                      float       *values,
                                      GError     **error);
/* Reads exactly n labels. Trailing empty strings mean "no label" and are
 * dropped, so that writing padded labels and reading them back gives the
 * same list. */
gboolean ls_document_get_labels  (const char  *source,
                                  JsonNode    *node,
                                  const char  *path,
                                  gsize        n,
                                  const char  *expected,
                                  GStrv       *labels,
                                  GError     **error);
/* Reads a layer's optional "bias" and "labels", one of each per unit or
 * filter. expected_bias and expected_labels start the message for a wrong
 * count, such as "expected 4 biases, one per unit". */
gboolean ls_document_read_bias_and_labels (const char   *source,
                                           JsonObject   *object,
                                           const char   *path,
                                           LsLayer      *layer,
                                           const char   *expected_bias,
                                           const char   *expected_labels,
                                           GError      **error);
/* Reads the required "activation" member. */
gboolean ls_document_read_activation (const char    *source,
                                      JsonObject    *object,
                                      const char    *path,
                                      LsActivation  *activation,
                                      GError       **error);
/* Reads the optional "init" object. Without it, or without one of its
 * keys, the scheme follows the activation and the seed is index + 1. */
gboolean ls_document_read_init   (const char    *source,
                                  JsonObject    *object,
                                  const char    *path,
                                  gsize          index,
                                  LsActivation   activation,
                                  LsInit        *init,
                                  GError       **error);

/* ---------------------------------------------------------------------
 * The raw text, in ls-json-scan.c
 * --------------------------------------------------------------------- */

/* Scans the raw text for what JsonParser would misread: integers beyond
 * gint64, numbers that are not JSON, literals beyond the double range,
 * "\u0000" in strings and nesting deeper than MAX_NESTING_DEPTH. */
gboolean ls_json_scan_text     (const char  *source,
                                const char  *data,
                                gsize        length,
                                GError     **error);
/* Rejects text that is not UTF-8, naming the line and column. */
gboolean ls_json_check_utf8    (const char  *source,
                                const char  *data,
                                gsize        length,
                                GError     **error);

G_END_DECLS
