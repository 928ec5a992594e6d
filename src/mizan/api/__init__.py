"""The REST API (Django REST framework) and its OpenAPI schema, for other systems and scripts."""
