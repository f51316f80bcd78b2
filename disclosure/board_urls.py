from django.urls import path

from . import board
from .feeds import BoardFeed

app_name = "board"
urlpatterns = [
    path("", board.board_index, name="index"),
    path("<str:code>/", board.board, name="board"),
    path("<str:code>/feed.xml", BoardFeed(), name="feed"),
    path("<str:code>/archive/<int:year>/", board.archive, name="archive"),
    path("<str:code>/<int:year>/<int:month>.pdf", board.poster, name="poster"),
    path("<str:code>/items/<int:pk>/", board.item_page, name="item"),
    path("<str:code>/items/<int:pk>/feedback/", board.feedback, name="feedback"),
    path("<str:code>/items/<int:pk>/files/<int:attachment_pk>/", board.attachment, name="attachment"),
]
