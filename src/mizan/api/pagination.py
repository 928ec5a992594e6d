"""Page-numbered lists: 50 items a page, up to 500 with ``?page_size=``."""

from rest_framework.pagination import PageNumberPagination


class MizanPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
