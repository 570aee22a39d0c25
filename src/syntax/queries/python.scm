; Definitions in Python. `@name` is the defined name; the other capture is the node.
(function_definition name: (identifier) @name) @function
(class_definition name: (identifier) @name) @class
