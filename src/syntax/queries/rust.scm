; Definitions in Rust. An impl block is named after its type, so its functions get that
; type as their parent.
(function_item name: (identifier) @name) @function
(function_signature_item name: (identifier) @name) @function
(struct_item name: (type_identifier) @name) @type
(enum_item name: (type_identifier) @name) @type
(union_item name: (type_identifier) @name) @type
(trait_item name: (type_identifier) @name) @type
(type_item name: (type_identifier) @name) @type
(impl_item type: (_) @name) @impl
(mod_item name: (identifier) @name) @module
(macro_definition name: (identifier) @name) @macro
